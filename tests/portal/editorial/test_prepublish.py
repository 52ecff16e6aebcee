"""Pre-publish checks (portal/editorial/prepublish.py): each rule blocks publishing with a specific message on
every path (direct, editor, workflow approval, publish_scheduled) and passes once fixed; after any
publish a document has its 索引号."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageLogEntry

from disclosure.models import DisclosureAttachment, DisclosureDocumentPage
from portal.editorial.prepublish import PrePublishCheckFailed, content_problems, meaningless_title
from portal.models import StandardPage
from tests.disclosure.editorial_fixtures import (
    admin_user,
    draft_document,
    edit_form,
    editorial_world,
    review_workflow,
)
from tests.disclosure.factories import GenreFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return editorial_world()


def draft(w, **fields):
    fields.setdefault("topic", w["topic"])
    fields.setdefault("genre", w["genre"])
    return draft_document(w["xxgk"], organisation=w["orgs"]["district_a"], **fields)


def publish_problems(page) -> list[str]:
    with pytest.raises(PrePublishCheckFailed) as err:
        page.save_revision().publish()
    assert not DisclosureDocumentPage.objects.get(pk=page.pk).live
    return err.value.messages


def publish_ok(page):
    page.save_revision().publish()
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.index_number  # post-publish invariant
    return page


def document(title, filename):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 test", name=filename)
    )


def test_missing_written_date_blocks_publishing(w):
    page = draft(w, written_date=None)
    assert publish_problems(page) == ["缺少成文日期。"]
    page.written_date = date(2026, 3, 1)
    publish_ok(page)


def test_a_genre_that_requires_a_document_number(w):
    genre = GenreFactory(name="规范性文件", slug="gfxwj", requires_document_number=True)
    page = draft(w, genre=genre, document_number="")
    assert publish_problems(page) == ["体裁为“规范性文件”的文件须填写发文字号。"]
    page.document_number = "沪民规〔2026〕3号"
    publish_ok(page)


def test_an_unpublished_topic_cannot_be_used(w):
    topic = TopicFactory(name="慈善事业", slug="cssy", live=False)
    page = draft(w, topic=topic)
    assert publish_problems(page) == ["主题分类“慈善事业”尚未发布，请先发布该分类或另选一个。"]
    topic.live = True
    topic.save()
    publish_ok(page)


def test_an_attachment_titled_with_its_file_name_blocks_publishing(w):
    page = draft(w)
    page.attachments = [DisclosureAttachment(document=document("scan_0001", "scan_0001.pdf"))]
    problems = publish_problems(page)
    assert len(problems) == 1
    assert problems[0].startswith("附件1“scan_0001”没有有意义的标题")
    page.attachments = [
        DisclosureAttachment(
            document=page.attachments.all()[0].document, title="2026年养老服务补贴申请表"
        )
    ]
    publish_ok(page)


def test_meaningful_titles():
    assert meaningless_title("", "a.pdf")
    assert meaningless_title("IMG-2026.pdf", "documents/IMG-2026_x1.pdf")
    assert meaningless_title("scan_0001", "documents/scan_0001.pdf")
    assert not meaningless_title("关于调整最低生活保障标准的通知", "documents/a.pdf")
    assert not meaningless_title("Annual report 2025", "documents/report.pdf")


def test_links_to_unpublished_and_deleted_pages_and_documents(w):
    hidden = draft(w, title="尚未发布的文件", slug="hidden")
    gone_page = draft(w, title="将被删除的页面", slug="gone")
    gone_doc = document("已删除的附件", "deleted.pdf")
    body = (
        f'<p><a linktype="page" id="{hidden.pk}">未发布链接</a>'
        f'<a linktype="page" id="{gone_page.pk}">死链接</a>'
        f'<a linktype="document" id="{gone_doc.pk}">附件链接</a>'
        f'<a linktype="page" id="{w["xxgk"].pk}">目录</a></p>'
    )
    gone_page_pk, gone_doc_pk = gone_page.pk, gone_doc.pk
    gone_page.delete()
    gone_doc.delete()
    page = draft(w, body=body)
    assert publish_problems(page) == [
        "正文中的链接“未发布链接”指向的页面“尚未发布的文件”尚未发布或已撤销发布。",
        f"正文中的链接“死链接”指向的页面（ID {gone_page_pk}）已被删除。",
        f"正文中的链接“附件链接”指向的文件（ID {gone_doc_pk}）已被删除。",
    ]
    page.body = f'<p><a linktype="page" id="{w["xxgk"].pk}">目录</a></p>'
    publish_ok(page)


def test_images_without_alt_text_in_stream_fields_and_rich_text(w):
    image = get_image_model().objects.create(title="敬老院", file=get_test_image_file())
    page = StandardPage(
        title="机构职能",
        slug="jgzn",
        body=[
            ("image", {"image": image, "alt": "", "caption": ""}),
            ("paragraph", f'<p>图</p><embed embedtype="image" id="{image.pk}" format="left"/>'),
        ],
    )
    w["home"].add_child(instance=page)
    problems = content_problems(page)
    assert problems == [
        "正文／图片缺少替代文本（alt）。",
        "正文／正文中的第1张图片缺少替代文本（alt）。",
    ]
    with pytest.raises(PrePublishCheckFailed):
        page.save_revision().publish()
    page.body = [
        ("image", {"image": image, "alt": "敬老院外景", "caption": ""}),
        (
            "paragraph",
            f'<p>图</p><embed embedtype="image" id="{image.pk}" alt="院内活动室" format="left"/>',
        ),
    ]
    assert content_problems(page) == []
    page.save_revision().publish()
    assert StandardPage.objects.get(pk=page.pk).live


def test_a_page_chooser_pointing_at_an_unpublished_page(w):
    hidden = draft(w, title="草稿", slug="caogao")
    home = w["home"]
    home.service_links = [("link", {"title": "入口", "page": hidden, "url": "", "description": ""})]
    assert content_problems(home) == [
        "办事入口／链接／站内页面指向的页面“草稿”尚未发布或已撤销发布。"
    ]
    home.service_links = [("link", {"title": "入口", "page": w["xxgk"], "url": ""})]
    assert content_problems(home) == []


def test_a_scheduled_publish_that_fails_is_refused_logged_and_not_retried(w):
    sh = ZoneInfo("Asia/Shanghai")
    with freeze_time(datetime(2026, 3, 10, 9, tzinfo=sh)) as frozen:
        page = draft(w)
        page.go_live_at = datetime(2026, 3, 10, 10, tzinfo=sh)
        revision = page.save_revision()
        revision.publish()
        # The schedule was accepted; then the document's topic is withdrawn to a draft.
        w["topic"].live = False
        w["topic"].save()
        frozen.move_to(datetime(2026, 3, 10, 10, 1, tzinfo=sh))
        call_command("publish_scheduled")
        page.refresh_from_db()
        revision.refresh_from_db()
        assert not page.live and page.index_number == ""
        assert revision.approved_go_live_at is None
        entry = PageLogEntry.objects.get(page=page, action="portal.publish_blocked")
        assert entry.data["problems"] == ["主题分类“社会救助”尚未发布，请先发布该分类或另选一个。"]


def test_the_editor_publish_button_is_refused_with_the_reasons(client, w):
    client.force_login(admin_user())
    page = draft(w)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, edit_form(page, written_date=""), follow=True)
    assert not DisclosureDocumentPage.objects.get(pk=page.pk).live
    text = response.content.decode()
    assert "未发布：缺少成文日期。" in text
    response = client.post(url, edit_form(page))
    assert response.status_code == 302
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.index_number


def test_a_workflow_approval_cannot_publish_a_failing_page(client, w):
    reviewer = admin_user("reviewer")
    review_workflow(w["xxgk"], reviewer)
    page = draft(w)
    page.save_revision()
    page.get_workflow().start(page, reviewer)
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    # The first step passes; before the final one the topic is withdrawn.
    state = page.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    w["topic"].live = False
    w["topic"].save()
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_state.current_task_state
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""}, HTTP_REFERER="/admin/")
    assert response.status_code == 302  # the refusal is a message, not a server error
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    assert not page.live
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS  # rolled back, still to approve
    w["topic"].live = True
    w["topic"].save()
    client.post(url, {"comment": ""})
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.index_number


def test_an_import_line_that_fails_the_checks_imports_nothing(w):
    import json

    from disclosure.importer import Importer, ImportRejected

    TopicFactory(name="慈善事业", slug="cssy", live=False)
    line = {
        "title": "关于慈善组织年报的通知",
        "document_number": "沪民发〔2026〕77号",
        "published_date": "2026-03-05",
        "written_date": "2026-03-01",
        "topic": "慈善事业",
        "genre": "通知",
        "organisation": "002479001",
    }
    reason = "主题分类“慈善事业”尚未发布，请先发布该分类或另选一个。"
    result = Importer(catalogue=w["xxgk"]).run([json.dumps(line, ensure_ascii=False)])
    assert result.skipped == [(1, reason)]
    with pytest.raises(ImportRejected) as err:
        Importer(catalogue=w["xxgk"]).run([json.dumps(line, ensure_ascii=False)], strict=True)
    assert err.value.errors == [(1, reason)]
    assert not DisclosureDocumentPage.objects.filter(title="关于慈善组织年报的通知").exists()


def test_the_content_checker_adds_our_rules_in_the_editor_and_the_userbar():
    from wagtail.admin.userbar import AccessibilityItem, ContentCheckerItem, apply_userbar_hooks

    for in_editor in (True, False):
        items = [AccessibilityItem(in_editor=in_editor)]
        apply_userbar_hooks(None, items, None)
        (item,) = items
        assert isinstance(item, ContentCheckerItem) and item.in_editor is in_editor
        run_only = item.get_axe_run_only(None)
        assert {"image-alt", "link-name", "document-title", "alt-text-quality"} <= set(run_only)
        assert item.get_axe_messages(None)["image-alt"]["error_name"] == "图片缺少替代文本"

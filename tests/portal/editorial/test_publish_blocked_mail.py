"""A scheduled publish refused by the pre-publish checks (portal/editorial/prepublish.py) tells its author by
email: the revision's user, else the page's owner; the mail names the page, the scheduled time and
every problem, in Chinese, with a link to the page's edit view. Sent after commit, through Wagtail's
admin mail like the workflow's staff notifications."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time
from wagtail.models import PageLogEntry

from disclosure.models import DisclosureDocumentPage
from tests.disclosure.editorial_fixtures import draft_document, editorial_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
PROBLEM = "主题分类“社会救助”尚未发布，请先发布该分类或另选一个。"


@pytest.fixture
def w(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.gov.cn/"
    return editorial_world()


def schedule_then_break(w, *, author, owner=None):
    """A document scheduled for 10:00 by `author`; its topic is withdrawn before then."""
    page = draft_document(
        w["xxgk"],
        organisation=w["orgs"]["district_a"],
        topic=w["topic"],
        genre=w["genre"],
        title="黄浦区养老服务补贴定时发布通知",
    )
    if owner is not None:
        page.owner = owner
        page.save()
    page.go_live_at = datetime(2026, 3, 10, 10, tzinfo=SH)
    page.save_revision(user=author).publish()
    w["topic"].live = False
    w["topic"].save()
    return DisclosureDocumentPage.objects.get(pk=page.pk)


def run_scheduler(frozen, capture):
    frozen.move_to(datetime(2026, 3, 10, 10, 1, tzinfo=SH))
    mail.outbox.clear()
    with capture(execute=True):
        call_command("publish_scheduled")


def test_the_author_of_a_refused_scheduled_publish_gets_the_problems_by_mail(
    w, django_capture_on_commit_callbacks
):
    author = UserFactory(username="xu_editor", email="xu@example.gov.cn")
    with freeze_time(datetime(2026, 3, 10, 9, tzinfo=SH)) as frozen:
        page = schedule_then_break(w, author=author, owner=UserFactory(email="o@example.gov.cn"))
        run_scheduler(frozen, django_capture_on_commit_callbacks)

    page.refresh_from_db()
    assert not page.live
    assert PageLogEntry.objects.filter(page=page, action="portal.publish_blocked").exists()
    [message] = mail.outbox
    assert message.to == ["xu@example.gov.cn"]
    assert message.subject == "【阳光政务】定时发布未成功：黄浦区养老服务补贴定时发布通知"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    body = message.body
    assert (
        "页面“黄浦区养老服务补贴定时发布通知”原定于2026年3月10日 10:00定时发布，"
        "但未通过发布前检查，没有发布；定时发布已取消。"
    ) in body
    assert f"1. {PROBLEM}" in body
    assert f"https://admin.example.gov.cn/admin/pages/{page.pk}/edit/" in body


def test_without_a_reachable_author_the_page_owner_is_told(w, django_capture_on_commit_callbacks):
    owner = UserFactory(username="owner", email="owner@example.gov.cn")
    no_email = UserFactory(username="no_email", email="")
    with freeze_time(datetime(2026, 3, 10, 9, tzinfo=SH)) as frozen:
        schedule_then_break(w, author=no_email, owner=owner)
        run_scheduler(frozen, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["owner@example.gov.cn"]]


def test_nobody_to_tell_and_a_failing_mail_server_do_not_stop_the_scheduler(
    w, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    nobody = UserFactory(username="nobody", email="")
    with freeze_time(datetime(2026, 3, 10, 9, tzinfo=SH)) as frozen:
        page = schedule_then_break(w, author=nobody, owner=nobody)
        run_scheduler(frozen, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert PageLogEntry.objects.filter(page=page, action="portal.publish_blocked").exists()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("wagtail.admin.mail.EmailMultiAlternatives.send", broken)
    author = UserFactory(username="xu2", email="xu2@example.gov.cn")
    with freeze_time(datetime(2026, 3, 10, 9, tzinfo=SH)) as frozen:
        w["topic"].live = True
        w["topic"].save()
        page = schedule_then_break(w, author=author)
        run_scheduler(frozen, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert PageLogEntry.objects.filter(page=page, action="portal.publish_blocked").exists()
    assert "ConnectionRefusedError" in caplog.text
    assert "xu2@example.gov.cn" not in caplog.text  # no personal data in the log

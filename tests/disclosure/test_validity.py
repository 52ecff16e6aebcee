"""有效性 changes are reviewed: a repeal is a revision submitted to the workflow, nothing public changes
until it is approved, a direct publish of a validity change is refused while a workflow applies, and
every change that goes live is in the audit log as 有效性变更 (old → new), including imports run from
the command line and repeals scheduled for a date."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from wagtail.log_actions import registry
from wagtail.models import PageLogEntry, Workflow

from disclosure.actions import document_validity_change
from disclosure.importer import Importer
from disclosure.models import DisclosureDocumentPage, Validity
from tests.disclosure.editorial_fixtures import (
    admin_user,
    approve_all,
    edit_form,
    editorial_world,
    review_workflow,
    staff,
)
from tests.disclosure.factories import add_document

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w():
    world = editorial_world()
    world["new_doc"] = add_document(
        world["xxgk"],
        organisation=world["orgs"]["district_a"],
        topic=world["topic"],
        genre=world["genre"],
        title="黄浦区救助通知（2026年修订）",
    )
    world["editor"] = staff(world["orgs"]["district_a"], "huangpu_editor")
    world["reviewer"] = admin_user("huangpu_reviewer")
    return world


def live(doc):
    return DisclosureDocumentPage.objects.get(pk=doc.pk)


def validity_entries(doc):
    return PageLogEntry.objects.filter(page=doc, action="disclosure.validity_change")


def test_a_repeal_waits_for_both_review_steps_then_is_logged(client, w):
    review_workflow(w["xxgk"], w["reviewer"])
    revision = document_validity_change(
        document=w["doc"],
        validity=Validity.REPEALED,
        repealed_date=date(2026, 6, 1),
        replaced_by=w["new_doc"],
        user=w["editor"],
    )
    doc = live(w["doc"])
    assert doc.validity == Validity.VALID and doc.has_unpublished_changes
    assert revision.content["validity"] == Validity.REPEALED
    assert doc.current_workflow_state.status == "in_progress"
    assert client.get("/api/v1/disclosures", {"validity": "repealed"}).json()["count"] == 0
    assert not validity_entries(doc).exists()

    doc = approve_all(doc, w["reviewer"])
    assert doc.validity == Validity.REPEALED
    assert doc.repealed_date == date(2026, 6, 1) and doc.replaced_by_id == w["new_doc"].pk
    assert client.get("/api/v1/disclosures", {"validity": "repealed"}).json()["count"] == 1
    entry = validity_entries(doc).get()
    assert entry.data["old"] == "valid" and entry.data["new"] == "repealed"
    assert entry.data["replaced_by"] == w["new_doc"].pk
    assert registry.get_formatter(entry).format_message(entry) == "有效性由“有效”变更为“废止”"


def test_without_a_workflow_the_change_stays_a_draft(w):
    Workflow.objects.update(active=False)
    document_validity_change(
        document=w["doc"],
        validity=Validity.EXPIRED,
        repealed_date=date(2026, 6, 1),
        user=w["editor"],
    )
    doc = live(w["doc"])
    assert doc.validity == Validity.VALID and doc.has_unpublished_changes
    assert doc.current_workflow_state is None
    assert doc.get_latest_revision_as_object().validity == Validity.EXPIRED


def test_the_change_is_validated(w):
    with pytest.raises(ValidationError) as err:
        document_validity_change(
            document=w["doc"], validity=Validity.VALID, repealed_date=None, user=w["editor"]
        )
    assert err.value.message_dict["validity"] == ["文件的有效性已经是“有效”。"]
    with pytest.raises(ValidationError) as err:
        document_validity_change(
            document=w["doc"], validity=Validity.REPEALED, repealed_date=None, user=w["editor"]
        )
    assert err.value.message_dict["repealed_date"] == ["失效或废止的文件须填写废止/失效日期。"]


def test_a_direct_publish_of_a_validity_change_is_refused_under_a_workflow(client, w):
    review_workflow(w["xxgk"], w["reviewer"])
    client.force_login(w["reviewer"])
    doc = live(w["doc"])
    url = reverse("wagtailadmin_pages:edit", args=[doc.pk])
    response = client.post(
        url, edit_form(doc, validity="repealed", repealed_date="2026-06-01"), follow=True
    )
    assert "有效性变更须提交审核" in response.content.decode()
    assert live(doc).validity == Validity.VALID
    # Other edits publish directly as before.
    response = client.post(url, edit_form(doc, summary="补充内容概述"))
    assert response.status_code == 302
    assert live(doc).summary == "补充内容概述"


def test_a_scheduled_repeal_takes_effect_on_its_date(w):
    review_workflow(w["xxgk"], w["reviewer"])
    with freeze_time(datetime(2026, 5, 20, 9, tzinfo=SH)) as frozen:
        document_validity_change(
            document=w["doc"],
            validity=Validity.REPEALED,
            repealed_date=date(2026, 6, 1),
            user=w["editor"],
            go_live_at=datetime(2026, 6, 1, 0, 0, tzinfo=SH),
        )
        approve_all(w["doc"], w["reviewer"])
        assert live(w["doc"]).validity == Validity.VALID

        frozen.move_to(datetime(2026, 5, 31, 23, 59, tzinfo=SH))
        call_command("publish_scheduled")
        assert live(w["doc"]).validity == Validity.VALID

        frozen.move_to(datetime(2026, 6, 1, 0, 1, tzinfo=SH))
        call_command("publish_scheduled")
        assert live(w["doc"]).validity == Validity.REPEALED
        assert validity_entries(w["doc"]).get().data["new"] == "repealed"


def test_an_import_that_repeals_is_logged_under_the_importing_user(w):
    doc = live(w["doc"])
    line = json.dumps(
        {
            "title": doc.title,
            "index_number": doc.index_number,
            "document_number": doc.document_number,
            "published_date": "2026-03-05",
            "written_date": "2026-03-01",
            "topic": "社会救助",
            "genre": "通知",
            "organisation": "002479001",
            "validity": "废止",
            "repealed_date": "2026-06-01",
            "body_html": "<p>各区民政局：现将有关事项通知如下。</p>",
        },
        ensure_ascii=False,
    )
    importer_user = admin_user("importer")
    result = Importer(catalogue=w["xxgk"], user=importer_user).run([line])
    assert result.updated == 1
    assert live(doc).validity == Validity.REPEALED
    entry = validity_entries(doc).get()
    assert entry.user == importer_user
    assert entry.data["old_label"] == "有效" and entry.data["new_label"] == "废止"
    publish = PageLogEntry.objects.filter(page=doc, action="wagtail.publish").latest("pk")
    assert publish.user == importer_user


def test_a_publisher_without_a_workflow_repeals_in_the_editor_and_it_is_logged(client, w):
    Workflow.objects.update(active=False)  # Wagtail's default 'Moderators approval' on the root
    publisher = admin_user("publisher")
    client.force_login(publisher)
    doc = live(w["doc"])
    url = reverse("wagtailadmin_pages:edit", args=[doc.pk])
    response = client.post(url, edit_form(doc, validity="expired", repealed_date="2026-06-01"))
    assert response.status_code == 302
    assert live(doc).validity == Validity.EXPIRED
    entry = validity_entries(doc).get()
    assert entry.user == publisher and entry.data["new"] == "expired"

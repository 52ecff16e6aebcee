"""Scheduled publishing and expiry run for real: `manage.py publish_scheduled` (every minute in
production) makes a scheduled document appear in the catalogue, the API and at its URL, with its
索引号, and makes an expired one disappear from all three."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from freezegun import freeze_time
from wagtail.models import PageLogEntry

from disclosure.models import DisclosureDocumentPage
from tests.disclosure.editorial_fixtures import draft_document, editorial_world

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, day=10):
    return datetime(2026, 3, day, hour, minute, tzinfo=SH)


def visible(client, doc_title, url):
    catalogue = client.get("/xxgk/").content.decode()
    api = client.get("/api/v1/disclosures").json()
    titles = [item["title"] for item in api["results"]]
    status = client.get(url).status_code
    return doc_title in catalogue, doc_title in titles, status


def test_a_scheduled_document_goes_live_on_time_with_its_index_number(client):
    with freeze_time(at(9)) as frozen:
        w = editorial_world()
        doc = draft_document(
            w["xxgk"],
            organisation=w["orgs"]["district_b"],
            topic=w["topic"],
            genre=w["genre"],
            title="徐汇区养老服务补贴定时发布通知",
            slug="scheduled",
        )
        doc.go_live_at = at(10)
        doc.save_revision().publish()
        doc.refresh_from_db()
        assert not doc.live and doc.index_number == ""
        url = "/xxgk/scheduled/"

        assert visible(client, doc.title, url) == (False, False, 404)

        frozen.move_to(at(9, 59))
        call_command("publish_scheduled")
        assert visible(client, doc.title, url) == (False, False, 404)

        frozen.move_to(at(10, 1))
        call_command("publish_scheduled")
        doc.refresh_from_db()
        assert doc.live
        assert doc.index_number == "002482001/2026-00001"
        assert visible(client, doc.title, url) == (True, True, 200)
        assert PageLogEntry.objects.filter(page=doc, action="wagtail.publish.scheduled").exists()


def test_an_expired_document_disappears_and_its_url_404s(client):
    with freeze_time(at(9)) as frozen:
        w = editorial_world()
        doc = DisclosureDocumentPage.objects.get(pk=w["doc"].pk)
        doc.expire_at = at(18)
        doc.save_revision().publish()
        url = doc.url
        assert visible(client, doc.title, url) == (True, True, 200)

        frozen.move_to(at(17, 59))
        call_command("publish_scheduled")
        assert visible(client, doc.title, url) == (True, True, 200)

        frozen.move_to(at(18, 1))
        call_command("publish_scheduled")
        doc.refresh_from_db()
        assert not doc.live and doc.expired
        assert visible(client, doc.title, url) == (False, False, 404)
        assert doc.index_number  # kept: a number is never reused
        assert PageLogEntry.objects.filter(page=doc, action="wagtail.unpublish.scheduled").exists()


def test_a_scheduled_revision_of_a_live_document_replaces_it_on_time(client):
    with freeze_time(at(9)) as frozen:
        w = editorial_world()
        doc = DisclosureDocumentPage.objects.get(pk=w["doc"].pk)
        number = doc.index_number
        doc.title = "黄浦区救助通知（修订）"
        doc.go_live_at = at(12)
        doc.save_revision().publish()
        assert DisclosureDocumentPage.objects.get(pk=doc.pk).title == "黄浦区救助通知"

        frozen.move_to(at(12, 1))
        call_command("publish_scheduled")
        doc = DisclosureDocumentPage.objects.get(pk=doc.pk)
        assert doc.title == "黄浦区救助通知（修订）"
        assert doc.index_number == number
        assert "黄浦区救助通知（修订）" in client.get("/xxgk/").content.decode()

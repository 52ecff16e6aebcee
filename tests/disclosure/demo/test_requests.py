"""disclosure/demo/requests.py: a dozen demo requests in every state; loading twice changes nothing."""

import pytest
from freezegun import freeze_time

from disclosure.demo import requests as request_demo
from disclosure.requests.models import InformationRequest
from portal.cases.models import CaseEvent
from tests.factories import org_tree

pytestmark = pytest.mark.django_db


@freeze_time("2026-06-10 10:00:00+08:00")
def test_load_is_idempotent_and_covers_every_state():
    tree = org_tree()
    orgs = {org.code: org for org in tree.values()}
    summary = request_demo.load(organisations=orgs)
    assert "新建12件" in summary
    requests = InformationRequest.objects.all()
    assert requests.count() == 12
    assert {r.organisation.code for r in requests} == {"002479001", "002482001"}
    assert {r.status for r in requests} == set(InformationRequest.STATUS.values)
    assert {r.reply_type for r in requests if r.reply_type} == {
        "disclose",
        "partial",
        "withhold",
        "unable",
        "not_processed",
        "other",
    }
    assert {r.applicant_type for r in requests} == {"natural_person", "legal_person"}
    events = CaseEvent.objects.count()
    assert "新建0件" in request_demo.load(organisations=orgs)
    assert InformationRequest.objects.count() == 12 and CaseEvent.objects.count() == events


@freeze_time("2026-11-30 10:00:00+08:00")
def test_requests_the_calendar_cannot_date_yet_are_skipped_and_created_later(monkeypatch):
    import portal.workdays

    real = portal.workdays.add_working_days

    def calendar_without_2027(start, n):
        result = real(start, n)
        if result.year > 2026:
            raise NotImplementedError("no available data for year 2027")
        return result

    monkeypatch.setattr(portal.workdays, "add_working_days", calendar_without_2027)
    orgs = {org.code: org for org in org_tree().values()}
    summary = request_demo.load(organisations=orgs)
    # the extended request's deadline (20 + 15 working days after 11-30) falls in 2027
    assert "新建11件" in summary and "1件因工作日历缺少下一年度数据暂未生成" in summary
    assert InformationRequest.objects.count() == 11
    monkeypatch.setattr(portal.workdays, "add_working_days", real)
    with freeze_time("2026-06-10 10:00:00+08:00"):  # a run the calendar can date
        assert "新建1件" in request_demo.load(organisations=orgs)
    assert InformationRequest.objects.count() == 12

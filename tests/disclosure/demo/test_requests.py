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
def test_requests_reaching_a_year_without_a_schedule_get_a_provisional_deadline():
    """On 30 Nov 2026, before the 2027 schedule is entered: the extended request's deadline (20 +
    15 working days) falls in 2027; it is created with a provisional (预计) due date, not skipped."""
    orgs = {org.code: org for org in org_tree().values()}
    summary = request_demo.load(organisations=orgs)
    assert "新建12件" in summary and "暂未生成" not in summary
    extended = InformationRequest.objects.get(extension_days__gt=0)
    assert extended.due_date.year == 2027 and extended.due_date_provisional
    assert "预计：2027年节假日安排尚未公布录入" in extended.deadline_explanation

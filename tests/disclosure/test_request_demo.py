"""disclosure/request_demo.py: a dozen demo requests in every state; loading twice changes nothing."""

import pytest
from freezegun import freeze_time

from disclosure import request_demo
from disclosure.requests import InformationRequest
from portal.cases import CaseEvent
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

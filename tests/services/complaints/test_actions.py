from datetime import date

import pytest
from freezegun import freeze_time

from portal.cases.actions import case_act, case_withdraw
from portal.cases.errors import CaseForbidden, CaseValidationError, InvalidTransition, StaleVersion
from portal.cases.lookup import case_public_view
from portal.cases.models import CaseEvent
from services.complaints.actions import complaint_submit
from services.complaints.models import Complaint, ComplaintCategory, ComplaintStatus, RejectReason
from tests.services.case_fixtures import case_world
from tests.services.complaints.fixtures import advance, complaint_data, submit

pytestmark = pytest.mark.django_db
S = ComplaintStatus


@pytest.fixture
def world():
    return case_world()


class TestSubmit:
    def test_numbered_case_with_a_deadline_from_the_setting(self, world, settings):
        settings.COMPLAINT_HANDLING_DAYS = 15
        with freeze_time("2026-09-29 10:00:00+08:00"):
            complaint, code = complaint_submit(**complaint_data())
        assert complaint.case_number.startswith("TS20260929")
        assert len(code.replace("-", "")) == 10 and code not in complaint.query_code_hash
        assert complaint.status == S.SUBMITTED and complaint.version == 1
        assert complaint.limit_days == 15
        # 15 working days from the day after 9-29: 9-30; National Day 10-1..10-7 skipped; 10-8,
        # 10-9, 10-10 (make-up Saturday); 10-12..10-16; 10-19..10-23; 10-26.
        assert complaint.due_date == date(2026, 10, 26)
        assert "15个工作日" in complaint.deadline_explanation
        assert "2026年10月26日" in complaint.deadline_explanation

    def test_the_setting_changes_the_deadline(self, world, settings):
        settings.COMPLAINT_HANDLING_DAYS = 10
        with freeze_time("2026-09-29 10:00:00+08:00"):
            complaint = submit()
        assert complaint.limit_days == 10
        assert complaint.due_date == date(2026, 10, 19)
        view = case_public_view(complaint)
        assert view["kind"] == "complaint" and "10个工作日" in view["deadline_explanation"]

    def test_neither_organisation_nor_item_goes_to_the_city_bureau(self, world):
        complaint = submit()
        assert complaint.organisation == world["tree"]["bureau"]
        assert complaint.category == ComplaintCategory.ORGANISATION
        assert complaint.service is None

    def test_a_service_item_brings_its_organisation(self, world):
        complaint = submit(service_item=world["guide"].code)
        assert complaint.service == world["guide"]
        assert complaint.organisation == world["tree"]["centre_a1"]
        assert complaint.category == ComplaintCategory.SERVICE_ITEM

    def test_a_named_organisation_wins(self, world):
        complaint = submit(organisation="002482001", category="staff_conduct")
        assert complaint.organisation == world["tree"]["district_b"]
        assert complaint.category == ComplaintCategory.STAFF_CONDUCT

    def test_all_errors_at_once_keyed_by_api_field_names(self, world):
        with pytest.raises(CaseValidationError) as exc:
            complaint_submit(
                **complaint_data(
                    subject="",
                    content="  ",
                    complainant_name="",
                    complainant_phone="12345",
                    complainant_email="not-an-email",
                    organisation="999999999",
                    service_item="NOPE-001",
                    category="weather",
                )
            )
        errors = exc.value.errors
        assert set(errors) == {
            "subject",
            "content",
            "complainant_name",
            "complainant_phone",
            "complainant_email",
            "organisation",
            "service_item",
            "category",
        }
        assert "999999999" in errors["organisation"][0]
        assert "NOPE-001" in errors["service_item"][0]
        assert Complaint.objects.count() == 0

    def test_service_item_category_needs_an_item(self, world):
        with pytest.raises(CaseValidationError) as exc:
            submit(category="service_item")
        assert "service_item" in exc.value.errors

    def test_too_long_text_is_refused_with_its_length(self, world):
        with pytest.raises(CaseValidationError) as exc:
            submit(subject="投" * 101)
        assert "101" in exc.value.errors["subject"][0]


# (action, from status) → allowed? Every action against every status.
ALLOWED = {
    "acknowledge": {S.SUBMITTED},
    "handle": {S.ACKNOWLEDGED, S.HANDLING},
    "reply": {S.ACKNOWLEDGED, S.HANDLING},
    "reject": {S.SUBMITTED, S.ACKNOWLEDGED},
}
PATHS = {
    S.SUBMITTED: [],
    S.ACKNOWLEDGED: [("acknowledge", "", {})],
    S.HANDLING: [("acknowledge", "", {}), ("handle", "核实中", {})],
    S.REPLIED: [("acknowledge", "", {}), ("reply", "", {"reply": "已整改"})],
    S.REJECTED: [("reject", "不属于本机关职责范围", {"reason": "not_our_duty"})],
}
GOOD_INPUT = {
    "acknowledge": ("", {}),
    "handle": ("内部记录", {}),
    "reply": ("", {"reply": "答复内容"}),
    "reject": ("理由", {"reason": "other"}),
}


def at_status(status):
    complaint = submit()
    if status == S.WITHDRAWN:
        return case_withdraw(complaint)
    return advance(complaint, *PATHS[status])


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_every_staff_action_from_every_status(world, action, status):
    complaint = at_status(status)
    note, data = GOOD_INPUT[action]
    if status in ALLOWED[action]:
        updated = case_act(complaint, action=action, note=note, data=data)
        assert updated.status == Complaint.TRANSITIONS[action].target
        assert updated.version == complaint.version + 1
    else:
        with pytest.raises(InvalidTransition):
            case_act(complaint, action=action, note=note, data=data)


@pytest.mark.parametrize("status", list(S))
def test_withdraw_by_the_complainant_only_while_open(world, status):
    complaint = at_status(status)
    if status in (S.SUBMITTED, S.ACKNOWLEDGED, S.HANDLING):
        assert case_withdraw(complaint, note="问题已解决").status == S.WITHDRAWN
    else:
        with pytest.raises(InvalidTransition):
            case_withdraw(complaint)


def test_staff_cannot_withdraw_and_citizens_cannot_reply(world):
    from portal.cases.actions import case_transition

    complaint = submit()
    with pytest.raises(InvalidTransition):
        case_act(complaint, action="withdraw")
    with pytest.raises(InvalidTransition):
        case_transition(complaint, action="acknowledge", by="citizen")


def test_acknowledge_records_the_time_and_a_public_event(world):
    complaint = case_act(submit(), action="acknowledge", note="已转受理中心办理")
    assert complaint.acknowledged_at is not None
    event = CaseEvent.objects.filter(case_number=complaint.case_number).last()
    assert (event.action, event.public, event.note) == ("acknowledge", True, "已转受理中心办理")


def test_handle_needs_a_note_and_stays_internal(world):
    complaint = advance(submit(), ("acknowledge", "", {}))
    with pytest.raises(CaseValidationError) as exc:
        case_act(complaint, action="handle", note="")
    assert "note" in exc.value.errors
    complaint = case_act(complaint, action="handle", note="约谈窗口负责人")
    complaint = case_act(complaint, action="handle", note="调取监控")
    events = CaseEvent.objects.filter(case_number=complaint.case_number, action="handle")
    assert [e.public for e in events] == [False, False]
    timeline = case_public_view(complaint)["timeline"]
    assert all("约谈" not in t["note"] for t in timeline)


def test_reply_needs_text_and_closes_the_case(world):
    complaint = advance(submit(), ("acknowledge", "", {}))
    with pytest.raises(CaseValidationError) as exc:
        case_act(complaint, action="reply", data={"reply": "  "})
    assert "reply" in exc.value.errors
    complaint.refresh_from_db()
    assert complaint.status == S.ACKNOWLEDGED and complaint.version == 2
    due = complaint.due_date
    complaint = case_act(complaint, action="reply", data={"reply": "已批评教育当事人。"})
    assert complaint.status == S.REPLIED and complaint.is_closed
    assert complaint.closed_at and complaint.replied_at
    assert complaint.reply == complaint.result == "已批评教育当事人。"
    assert complaint.due_date == due  # the deadline stays as it was
    assert case_public_view(complaint)["result"] == "已批评教育当事人。"


def test_reply_falls_back_to_the_note(world):
    complaint = advance(submit(), ("acknowledge", "", {}))
    complaint = case_act(complaint, action="reply", note="已答复")
    assert complaint.result == "已答复"


def test_reject_needs_a_reason_from_the_list(world):
    complaint = submit()
    with pytest.raises(CaseValidationError):
        case_act(complaint, action="reject", note="")
    with pytest.raises(CaseValidationError) as exc:
        case_act(complaint, action="reject", note="理由", data={"reason": "bored"})
    assert "reason" in exc.value.errors
    complaint = case_act(
        complaint, action="reject", note="请向区民政局反映", data={"reason": "not_our_duty"}
    )
    assert complaint.status == S.REJECTED
    assert complaint.reject_reason == RejectReason.NOT_OUR_DUTY
    assert complaint.result == "不属于本机关职责：请向区民政局反映"


def test_version_and_organisation_are_checked(world):
    complaint = submit()
    with pytest.raises(StaleVersion):
        case_act(complaint, action="acknowledge", version=7)
    with pytest.raises(CaseForbidden):
        case_act(
            complaint,
            action="acknowledge",
            organisation_ids={world["tree"]["district_b"].pk},
        )
    assert case_act(complaint, action="acknowledge", version=1).version == 2


def test_complaints_are_a_case_kind():
    from portal.cases.models import case_models

    assert case_models()["complaint"] is Complaint

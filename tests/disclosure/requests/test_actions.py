"""disclosure/requests/actions.py and the InformationRequest transitions and deadline rules."""

from datetime import date
from pathlib import Path

import chinese_calendar
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from disclosure.annual_report.figures import WITHDRAWN_ROW, outcome_keys
from disclosure.requests.actions import (
    information_request_reply,
    information_request_submit,
    information_request_submit_correction,
    validate_credit_code,
)
from disclosure.requests.models import InformationRequest, InformationRequestFile, RequestStatus
from disclosure.requests.rules import REPLY_REASONS, ReplyType
from portal.cases.actions import case_transition, case_withdraw
from portal.cases.errors import CaseValidationError, InvalidTransition
from portal.cases.lookup import case_public_view
from portal.cases.models import CaseEvent, case_models
from tests.disclosure.requests.fixtures import (
    PDF,
    VALID_CREDIT_CODE,
    act,
    legal_person,
    natural_person,
    oracle_add_working_days,
    submit,
)
from tests.factories import org_tree

pytestmark = pytest.mark.django_db
S = RequestStatus


@pytest.fixture
def tree():
    return org_tree()


@pytest.fixture
def org(tree):
    return tree["district_a"]


def stored_files() -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# -- submission --------------------------------------------------------------------------------


class TestSubmit:
    def test_natural_person_on_a_working_day(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request, code = information_request_submit(**natural_person(org))
        assert request.case_number.startswith("GK20260928")
        assert len(code.replace("-", "")) == 10
        assert request.status == S.SUBMITTED and request.organisation == org
        assert request.received_on == date(2026, 9, 28) == request.clock_start
        # 20 working days from 9-29, skipping National Day and counting the make-up Saturday 10-10.
        assert (
            request.due_date == date(2026, 10, 30) == oracle_add_working_days(date(2026, 9, 28), 20)
        )
        assert "2026年9月28日收到申请" in request.deadline_explanation
        assert "答复期限为2026年10月30日" in request.deadline_explanation
        assert InformationRequest in case_models().values()

    def test_submitted_on_a_weekend_is_received_on_the_next_working_day(self, org):
        assert not chinese_calendar.is_workday(date(2026, 3, 7))
        with freeze_time("2026-03-07 22:00:00+08:00"):
            request = submit(org)
        assert request.case_number.startswith("GK20260307")  # numbered on the day it came in
        assert request.received_on == date(2026, 3, 9)
        assert request.due_date == oracle_add_working_days(date(2026, 3, 9), 20)

    def test_submitted_during_a_holiday(self, org):
        with freeze_time("2026-10-02 09:00:00+08:00"):
            request = submit(org)
        assert request.received_on == date(2026, 10, 8)

    def test_legal_person(self, org):
        request, _ = information_request_submit(
            **legal_person(org, credit_code="91350100m000100y43")
        )
        assert request.applicant_type == "legal_person"
        assert request.organisation_kind == "legal_service"
        assert request.credit_code == VALID_CREDIT_CODE and request.applicant_id_number == ""
        assert request.masked_applicant()["id_number"] == ""

    def test_natural_person_ignores_legal_person_fields(self, org):
        request = submit(org, organisation_kind="business", credit_code="bogus")
        assert request.organisation_kind == "" and request.credit_code == ""

    def test_all_errors_at_once(self, org):
        with pytest.raises(CaseValidationError) as exc:
            information_request_submit(
                applicant_type="robot",
                applicant_name="",
                applicant_phone="123",
                description="",
                form="scroll",
                delivery="pigeon",
                organisation="nope",
            )
        assert set(exc.value.errors) == {
            "applicant_type",
            "applicant_name",
            "applicant_phone",
            "description",
            "form",
            "delivery",
            "organisation",
        }
        assert "nope" in exc.value.errors["organisation"][0]
        assert InformationRequest.objects.count() == 0 and CaseEvent.objects.count() == 0

    def test_natural_person_needs_a_valid_id_number(self, org):
        with pytest.raises(CaseValidationError) as exc:
            submit(org, applicant_id_number="110105194912310021")
        assert "校验位" in exc.value.errors["applicant_id_number"][0]

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("", "18位"),
            ("91350100M000100Y4", "18位"),
            ("91350100M000100YI3", "不含I、O、S、V、Z"),
            ("91350100M000100Y44", "校验位"),
        ],
    )
    def test_legal_person_needs_a_valid_credit_code_and_kind(self, org, code, message):
        with pytest.raises(CaseValidationError) as exc:
            information_request_submit(**legal_person(org, credit_code=code, organisation_kind=""))
        assert message in exc.value.errors["credit_code"][0]
        assert "organisation_kind" in exc.value.errors

    def test_credit_code_validator(self):
        assert validate_credit_code(" 91350100m000100y43 ") == VALID_CREDIT_CODE

    def test_delivery_needs_its_contact_and_a_matching_form(self, org):
        with pytest.raises(CaseValidationError) as exc:
            submit(org, applicant_email="", delivery="email")
        assert "电子邮箱" in exc.value.errors["applicant_email"][0]
        with pytest.raises(CaseValidationError) as exc:
            submit(org, applicant_address="", delivery="post")
        assert "通信地址" in exc.value.errors["applicant_address"][0]
        with pytest.raises(CaseValidationError) as exc:
            submit(org, form="paper", delivery="online")
        assert "纸质文本" in exc.value.errors["delivery"][0]

    def test_acceptance_centres_do_not_take_disclosure_requests(self, tree):
        with pytest.raises(CaseValidationError) as exc:
            submit(tree["centre_a1"])
        assert "organisation" in exc.value.errors


# -- the transition matrix ---------------------------------------------------------------------

STAFF_ALLOWED = {
    "accept": {S.SUBMITTED},
    "request_correction": {S.SUBMITTED, S.ACCEPTED},
    "start_consultation": {S.ACCEPTED},
    "end_consultation": {S.CONSULTING},
    "extend": {S.ACCEPTED},
    "reply": {S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED},
    "record_withdrawal": {S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.CONSULTING},
}
CITIZEN_ALLOWED = {
    "submit_correction": {S.CORRECTION_REQUESTED},
    "withdraw": {S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.CONSULTING},
}
ACTION_KWARGS = {
    "accept": {},
    "request_correction": {"data": {"items": ["请写明所需信息的年份"]}},
    "start_consultation": {"data": {"third_party": "某养老机构"}},
    "end_consultation": {"data": {"opinion": "不同意公开"}},
    "extend": {"data": {"days": 10, "reason": "需调取档案"}},
    "reply": {
        "data": {"reply_type": "other", "reason": "no_correction", "letter": "经审查……特此告知。"}
    },
    "submit_correction": {"data": {"description": "2025年度黄浦区低保发放总额"}},
    "withdraw": {"note": "不再需要"},
    "record_withdrawal": {"data": {"reason": "申请人来函撤回"}},
}


def put_in(request, status):
    fields = {"status": status}
    if status == S.CONSULTING:
        fields["consultations"] = [
            {"third_party": "某单位", "start": "2026-09-28", "end": "", "days": 0}
        ]
    if status == S.CORRECTION_REQUESTED:  # a notice whose 15-working-day period has lapsed
        fields.update(
            correction_count=1,
            correction_requested_on=date(2026, 9, 1),
            correction_period_days=15,
            correction_due_on=date(2026, 9, 22),
        )
    InformationRequest.objects.filter(pk=request.pk).update(**fields)
    request.refresh_from_db()
    return request


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", [*STAFF_ALLOWED, *CITIZEN_ALLOWED])
def test_every_transition_is_allowed_or_refused(org, action, status):
    by = "citizen" if action in CITIZEN_ALLOWED else "staff"
    allowed = {**STAFF_ALLOWED, **CITIZEN_ALLOWED}[action]
    kwargs = ACTION_KWARGS[action]
    if action == "reply" and status != S.CORRECTION_REQUESTED:  # （六）1 needs a lapsed 补正
        kwargs = {"data": {"reply_type": "disclose", "letter": "经审查……特此告知。"}}
    with freeze_time("2026-09-28 10:00:00+08:00"):
        request = put_in(submit(org), status)
        events = CaseEvent.objects.filter(case_number=request.case_number, action=action)
        if status in allowed:
            updated = case_transition(request, action=action, by=by, **kwargs)
            assert updated.status == InformationRequest.TRANSITIONS[action].target
            assert updated.version == request.version + 1
            assert events.count() == 1
        else:
            with pytest.raises(InvalidTransition) as exc:
                case_transition(request, action=action, by=by, **kwargs)
            assert "不能执行" in exc.value.message
            assert not events.exists()


def test_citizen_actions_are_not_staff_actions_and_back(org):
    request = submit(org)
    with pytest.raises(InvalidTransition):
        act(request, "withdraw")
    with pytest.raises(InvalidTransition):
        case_transition(request, action="accept", by="citizen")


# -- 补正 ------------------------------------------------------------------------------------


class TestCorrection:
    def test_within_seven_working_days_pauses_then_restarts_the_clock(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = submit(org)
        assert request.correction_deadline() == date(2026, 10, 13)
        with freeze_time("2026-10-13 16:00:00+08:00"):  # the 7th working day: still allowed
            request = act(request, "request_correction", data={"items": ["年份", "地区"]})
        assert request.status == S.CORRECTION_REQUESTED and request.is_paused
        assert request.due_date is None and not request.overdue
        assert "2026年10月13日一次性告知补正" in request.deadline_explanation
        assert "当前计时暂停" in request.deadline_explanation
        event = CaseEvent.objects.get(case_number=request.case_number, action="request_correction")
        assert "1. 年份；2. 地区" in event.note
        with freeze_time("2026-10-17 11:00:00+08:00"):  # a Saturday: received Monday 10-19
            request = information_request_submit_correction(
                request, description="2025年度黄浦区低保资金发放总额", document_number=""
            )
        assert request.status == S.SUBMITTED
        assert request.correction_received_on == date(2026, 10, 19) == request.clock_start
        assert request.received_on == date(2026, 9, 28)  # the original receipt stays recorded
        assert request.description == "2025年度黄浦区低保资金发放总额"
        assert request.due_date == oracle_add_working_days(date(2026, 10, 19), 20)
        assert "2026年10月19日收到补正" in request.deadline_explanation

    def test_after_seven_working_days_is_refused(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = submit(org)
        with freeze_time("2026-10-14 09:00:00+08:00"), pytest.raises(CaseValidationError) as exc:
            act(request, "request_correction", data={"items": ["年份"]})
        assert "7个工作日内" in exc.value.message and "2026年10月13日" in exc.value.message
        request.refresh_from_db()
        assert request.status == S.SUBMITTED

    def test_only_once_and_must_list_items(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = submit(org)
            with pytest.raises(CaseValidationError) as exc:
                act(request, "request_correction", data={"items": ["  "]})
            assert "items" in exc.value.errors
            request = act(request, "request_correction", data={"items": ["年份"]})
            request = information_request_submit_correction(request, note="已在说明中补充年份")
            with pytest.raises(CaseValidationError, match="一次性告知"):
                act(request, "request_correction", data={"items": ["地区"]})

    def test_a_correction_needs_content(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = act(submit(org), "request_correction", data={"items": ["年份"]})
            with pytest.raises(CaseValidationError) as exc:
                information_request_submit_correction(request)
        assert "description" in exc.value.errors

    def test_waiting_for_correction_can_only_close_as_no_correction(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = act(submit(org), "request_correction", data={"items": ["年份"]})
            with pytest.raises(CaseValidationError) as exc:
                act(request, "reply", data={"reply_type": "disclose", "letter": "……"})
            assert "逾期不补正" in exc.value.errors["reply_type"][0]


# -- third-party consultation ------------------------------------------------------------------


def test_consultation_time_is_excluded_from_the_clock(org):
    with freeze_time("2026-09-28 10:00:00+08:00"):
        request = act(submit(org), "accept")
        assert request.due_date == date(2026, 10, 30)
    with freeze_time("2026-10-09 10:00:00+08:00"):
        request = act(request, "start_consultation", data={"third_party": "某养老服务有限公司"})
    assert request.status == S.CONSULTING and request.is_paused and request.due_date is None
    event = CaseEvent.objects.get(case_number=request.case_number, action="start_consultation")
    # the third party has 15 working days after 10-9, counting the make-up Saturday 10-10
    assert oracle_add_working_days(date(2026, 10, 9), 15) == date(2026, 10, 29)
    assert "2026年10月29日前提出意见" in event.note
    assert "2026年10月9日起征求第三方意见" in request.deadline_explanation
    with freeze_time("2026-10-16 15:00:00+08:00"):
        request = act(request, "end_consultation", data={"opinion": "同意公开"})
    # working days after 10-9 up to 10-16: 10-10, 10-12, 10-13, 10-14, 10-15, 10-16
    assert request.excluded_days == 6
    assert request.status == S.ACCEPTED
    assert request.due_date == oracle_add_working_days(date(2026, 9, 28), 26) == date(2026, 11, 9)
    assert "2026年10月9日至2026年10月16日征求第三方意见，6个工作日不计入" in (
        request.deadline_explanation
    )
    with pytest.raises(CaseValidationError, match="第三方"):
        act(request, "start_consultation", data={})


# -- extension ---------------------------------------------------------------------------------


class TestExtension:
    def test_once_at_most_twenty_days_with_reason_told_to_the_applicant(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = act(submit(org), "accept")
        with freeze_time("2026-10-20 10:00:00+08:00"):
            with pytest.raises(CaseValidationError) as exc:
                act(request, "extend", data={"days": 21})
            assert set(exc.value.errors) == {"days", "reason"}
            with pytest.raises(CaseValidationError):
                act(request, "extend", data={"days": 0, "reason": "x"})
            request = act(request, "extend", data={"days": 20, "reason": "需要调取档案"})
            assert request.extension_days == 20 and request.status == S.ACCEPTED
            assert request.due_date == oracle_add_working_days(date(2026, 9, 28), 40)
            with pytest.raises(CaseValidationError, match="只能延长一次"):
                act(request, "extend", data={"days": 1, "reason": "再延"})
        view = case_public_view(request)
        extension = [e for e in view["timeline"] if e["action"] == "延长答复期限"]
        assert len(extension) == 1 and "需要调取档案" in extension[0]["note"]
        assert f"{request.due_date:%Y年%-m月%-d日}" in extension[0]["note"]
        assert "延长答复期限20个工作日，理由：需要调取档案" in view["deadline_explanation"]

    def test_the_reason_may_come_as_the_note(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = act(
                act(submit(org), "accept"), "extend", note="涉及多个部门", data={"days": "5"}
            )
        assert request.extension_reason == "涉及多个部门" and request.extension_days == 5

    def test_refused_after_the_due_date(self, org):
        with freeze_time("2026-09-28 10:00:00+08:00"):
            request = act(submit(org), "accept")
        with freeze_time("2026-11-02 10:00:00+08:00"), pytest.raises(CaseValidationError) as exc:
            act(request, "extend", data={"days": 5, "reason": "来不及"})
        assert "已过" in exc.value.message


# -- reply -------------------------------------------------------------------------------------


class TestReply:
    @pytest.mark.parametrize(
        ("reply_type", "reason"),
        [
            (t, r)
            for t, reasons in REPLY_REASONS.items()
            for r, _l in reasons
            # these have preconditions (or are retired): tests/disclosure/requests/test_outcome_rules.py
            if r not in ("still_unclear", "no_correction", "unpaid_fee")
        ]
        + [("disclose", ""), ("partial", "")],
    )
    def test_every_type_and_reason(self, org, reply_type, reason):
        request = act(
            act(submit(org), "accept"),
            "reply",
            data={"reply_type": reply_type, "reason": reason, "letter": "答复书正文"},
        )
        assert request.status == S.REPLIED and request.is_closed and request.closed_at
        assert (request.reply_type, request.reply_reason) == (reply_type, reason)
        assert request.result == request.reply_summary
        assert str(ReplyType(reply_type).label) in request.result
        if reason:
            assert request.reply_reason_label in request.result

    @pytest.mark.parametrize(
        ("data", "fields"),
        [
            ({"reply_type": "approve", "letter": "x"}, {"reply_type"}),
            ({"reply_type": "withhold", "letter": "x"}, {"reason"}),
            ({"reply_type": "withhold", "reason": "not_held", "letter": "x"}, {"reason"}),
            ({"reply_type": "disclose", "reason": "state_secret", "letter": "x"}, {"reason"}),
            ({"reply_type": "unable", "reason": "not_held", "letter": "  "}, {"letter"}),
        ],
    )
    def test_invalid_types_and_reasons_are_refused(self, org, data, fields):
        request = act(submit(org), "accept")
        with pytest.raises(CaseValidationError) as exc:
            act(request, "reply", data=data)
        assert set(exc.value.errors) == fields
        request.refresh_from_db()
        assert request.status == S.ACCEPTED and request.reply_type == ""

    def test_the_letter_is_not_in_the_public_timeline(self, org):
        request = act(
            act(submit(org), "accept"),
            "reply",
            data={"reply_type": "partial", "letter": "机密的答复书正文"},
        )
        view = case_public_view(request)
        assert "机密的答复书正文" not in str(view)
        assert view["result"] == "部分公开"

    def test_files_are_stored_privately_and_all_or_nothing(self, org, monkeypatch):
        request = act(submit(org), "accept")
        before = stored_files()
        bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
        with pytest.raises(CaseValidationError) as exc:
            information_request_reply(request, reply_type="disclose", letter="见附件", files=[bad])
        assert "files" in exc.value.errors
        with pytest.raises(CaseValidationError):  # invalid reply: no file left behind
            information_request_reply(
                request,
                reply_type="withhold",
                letter="x",
                files=[SimpleUploadedFile("a.pdf", PDF)],
            )
        assert stored_files() == before and InformationRequestFile.objects.count() == 0
        request = information_request_reply(
            request,
            reply_type="disclose",
            letter="现将所申请信息提供给您，见附件。",
            files=[SimpleUploadedFile("低保统计.pdf", PDF)],
        )
        files = list(request.reply_files.all())
        assert [(f.title, f.content_type) for f in files] == [("低保统计.pdf", "application/pdf")]
        assert files[0].stored_name.startswith("disclosure-replies/")
        assert len(stored_files() - before) == 1


def test_withdraw(org):
    request = case_withdraw(submit(org), note="已通过其他途径获得")
    assert request.status == S.WITHDRAWN and request.is_closed and request.due_date
    assert CaseEvent.objects.filter(case_number=request.case_number, action="withdraw").exists()


def test_annual_report_rows_cover_every_reason_once_and_withdrawal_has_no_row_of_its_own():
    """The 2021 format's 22 outcome rows; 申请人撤回 is counted under （六）3 其他, not a row."""
    rows = outcome_keys()
    assert len(rows) == 1 + 1 + 8 + 3 + 5 + 3
    assert len(set(rows)) == len(rows)
    assert rows[0] == "disclose" and rows[-1] == "other:other" == WITHDRAWN_ROW
    assert "withhold:three_security" in rows and "other:unpaid_fee" in rows  # kept, shows 0
    assert not any("withdraw" in key for key in rows)

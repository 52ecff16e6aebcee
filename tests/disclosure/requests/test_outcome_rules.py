"""The outcome rules of the reply (disclosure/requests/models.py `outcome_rule_errors`), driven as
the clients drive them: the request through POST /api/v1/disclosure-requests, staff decisions
through POST /api/v1/staff/cases/{n}/actions and the admin workbench, the applicant's 补正 at /cx/.

- （四）3 补正后申请内容仍不明确: only after a 补正 the applicant answered;
- （六）1 逾期不补正: only while a 补正 notice is unanswered and its period (recorded with the notice,
  working days) has passed;
- （六）2 逾期未缴费: never offered (no 信息处理费 notice exists); old records stay readable;
- records made before the rules are listed by `disclosure_outcome_audit`, not changed."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from disclosure.requests.models import InformationRequest, RequestStatus
from disclosure.requests.selectors import outcome_rule_audit
from portal.cases.models import CaseEvent
from portal.organisations import Organisation
from tests.disclosure.requests.fixtures import natural_person, oracle_add_working_days
from tests.factories import make_home, org_tree
from tests.portal.cases.staff_fixtures import staff_user

pytestmark = pytest.mark.django_db
S = RequestStatus
LETTER = "经审查，特此告知。"


@pytest.fixture
def world():
    make_home()
    tree = org_tree()
    return {"org": tree["district_a"], "staff": staff_user(tree["district_a"], "hp", token=True)}


def submit_api(client, org, day="2026-09-28 10:00:00+08:00") -> tuple[str, str]:
    with freeze_time(day):
        response = client.post(
            "/api/v1/disclosure-requests",
            data=json.dumps(natural_person(org)),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    return body["case_number"], body["query_code"]


def staff_act(client, staff, number, body, day):
    version = InformationRequest.objects.get(case_number=number).version
    with freeze_time(f"{day}:00+08:00"):  # Shanghai time
        return client.post(
            f"/api/v1/staff/cases/{number}/actions",
            json.dumps({"version": version, **body}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {staff.api_token}",
        )


def reply(reply_type, reason=""):
    return {"action": "reply", "reply_type": reply_type, "reason": reason, "letter": LETTER}


def correct_at_cx(client, number, code, day):
    with freeze_time(day):
        assert client.post("/cx/", {"case_number": number, "query_code": code}).status_code == 302
        token = client.get("/cx/").context["correction_token"]
        response = client.post(
            "/cx/correction/",
            {"form_token": token, "description": "2025年度黄浦区低保发放总额（按季度）"},
        )
    assert response.status_code == 302


def fresh(number) -> InformationRequest:
    return InformationRequest.objects.get(case_number=number)


class TestStillUnclear:
    def test_refused_without_a_correction_notice(self, client, world):
        number, _code = submit_api(client, world["org"])
        response = staff_act(
            client, world["staff"], number, reply("unable", "still_unclear"), "2026-09-29 10:00"
        )
        assert response.status_code == 422
        message = response.json()["errors"]["reason"][0]
        assert "（四）3“补正后申请内容仍不明确”" in message and "未告知补正" in message
        assert fresh(number).status == S.SUBMITTED

    def test_refused_while_the_correction_is_unanswered(self, client, world):
        number, _code = submit_api(client, world["org"])
        staff = world["staff"]
        body = {"action": "request_correction", "items": ["请写明年份"]}
        assert staff_act(client, staff, number, body, "2026-09-29 10:00").status_code == 200
        # not after the period either: a reply from 待补正 is only （六）1
        response = staff_act(
            client, staff, number, reply("unable", "still_unclear"), "2026-11-30 10:00"
        )
        assert response.status_code == 422
        assert "申请人尚未提交补正" in response.json()["errors"]["reason"][0]

    def test_allowed_after_the_applicant_answered(self, client, world):
        number, code = submit_api(client, world["org"])
        staff = world["staff"]
        body = {"action": "request_correction", "items": ["请写明年份"]}
        assert staff_act(client, staff, number, body, "2026-09-29 10:00").status_code == 200
        correct_at_cx(client, number, code, "2026-09-30 10:00:00+08:00")
        assert fresh(number).correction_received_on == date(2026, 9, 30)
        response = staff_act(
            client, staff, number, reply("unable", "still_unclear"), "2026-10-12 10:00"
        )
        assert response.status_code == 200, response.content
        request = fresh(number)
        assert (request.status, request.reply_reason) == (S.REPLIED, "still_unclear")


class TestNoCorrection:
    def test_refused_without_a_correction_notice(self, client, world):
        number, _code = submit_api(client, world["org"])
        response = staff_act(
            client, world["staff"], number, reply("other", "no_correction"), "2026-12-30 10:00"
        )
        assert response.status_code == 422
        message = response.json()["errors"]["reason"][0]
        assert "（六）1“逾期不补正”" in message and "未告知补正" in message

    def test_the_period_is_recorded_with_the_notice_and_must_pass(self, client, world):
        number, _code = submit_api(client, world["org"])
        staff = world["staff"]
        body = {"action": "request_correction", "items": ["请写明年份"], "period_days": 10}
        assert staff_act(client, staff, number, body, "2026-09-29 10:00").status_code == 200
        request = fresh(number)
        # 10 working days after Tue 9-29: 9-30, (国庆 10-1…10-7), 10-8, 10-9, Sat 10-10 (调休),
        # 10-12 … 10-16, 10-19
        assert request.correction_period_days == 10
        assert request.correction_due_on == date(2026, 10, 19)
        assert oracle_add_working_days(date(2026, 9, 29), 10) == date(2026, 10, 19)
        notice = CaseEvent.objects.get(case_number=number, action="request_correction")
        assert "请于2026年10月19日前" in notice.note
        for day in ("2026-09-29 16:00", "2026-10-19 17:00"):  # the notice day, the last day
            response = staff_act(client, staff, number, reply("other", "no_correction"), day)
            assert response.status_code == 422
            message = response.json()["errors"]["reason"][0]
            assert "补正期限至2026年10月19日届满" in message, message
            assert "10个工作日" in message
        assert fresh(number).status == S.CORRECTION_REQUESTED
        response = staff_act(
            client, staff, number, reply("other", "no_correction"), "2026-10-20 09:00"
        )
        assert response.status_code == 200, response.content
        assert fresh(number).reply_reason == "no_correction"

    def test_refused_once_the_applicant_answered(self, client, world):
        number, code = submit_api(client, world["org"])
        staff = world["staff"]
        body = {"action": "request_correction", "items": ["请写明年份"], "period_days": 5}
        assert staff_act(client, staff, number, body, "2026-09-29 10:00").status_code == 200
        correct_at_cx(client, number, code, "2026-09-30 10:00:00+08:00")
        response = staff_act(
            client, staff, number, reply("other", "no_correction"), "2026-11-30 10:00"
        )
        assert response.status_code == 422
        assert "申请人已于2026年9月30日提交补正" in response.json()["errors"]["reason"][0]

    @override_settings(DISCLOSURE_CORRECTION_PERIOD={"default": 12, "min": 8, "max": 20})
    def test_default_and_limits_come_from_the_settings(self, client, world):
        number, _code = submit_api(client, world["org"])
        staff = world["staff"]
        for days in (7, 21):
            body = {"action": "request_correction", "items": ["年份"], "period_days": days}
            response = staff_act(client, staff, number, body, "2026-09-29 10:00")
            assert response.status_code == 422
            assert response.json()["errors"]["period_days"] == ["补正期限应为8至20个工作日。"]
        body = {"action": "request_correction", "items": ["年份"]}
        assert staff_act(client, staff, number, body, "2026-09-29 10:00").status_code == 200
        assert fresh(number).correction_period_days == 12


class TestUnpaidFee:
    def test_never_accepted_through_the_api(self, client, world):
        number, _code = submit_api(client, world["org"])
        response = staff_act(
            client, world["staff"], number, reply("other", "unpaid_fee"), "2026-09-29 10:00"
        )
        assert response.status_code == 422
        assert "（六）2" in response.json()["errors"]["reason"][0]
        assert "收费通知" in response.json()["errors"]["reason"][0]

    def test_not_offered_in_the_workbench_form(self, client, world):
        number, _code = submit_api(client, world["org"])
        client.force_login(world["staff"])
        with freeze_time("2026-09-29 10:00:00+08:00"):
            html = client.get(reverse("workbench:case", args=[number])).content.decode()
            assert "逾期未按收费通知要求缴纳费用" not in html
            assert "逾期不补正" in html and 'name="request_correction-period_days"' in html
            response = client.post(
                reverse("workbench:act", args=[number, "reply"]),
                {
                    "reply-version": fresh(number).version,
                    "reply-reply_type": "other",
                    "reply-reason": "unpaid_fee",
                    "reply-letter": LETTER,
                },
            )
        assert response.status_code == 422
        assert fresh(number).status == S.SUBMITTED

    def test_the_workbench_shows_the_rule_on_the_reason_field(self, client, world):
        number, _code = submit_api(client, world["org"])
        client.force_login(world["staff"])
        with freeze_time("2026-09-29 10:00:00+08:00"):
            response = client.post(
                reverse("workbench:act", args=[number, "reply"]),
                {
                    "reply-version": fresh(number).version,
                    "reply-reply_type": "other",
                    "reply-reason": "no_correction",
                    "reply-letter": LETTER,
                },
            )
        assert response.status_code == 422
        assert "（六）1“逾期不补正”：本申请未告知补正" in response.content.decode()


class TestAudit:
    def test_old_records_that_break_a_rule_are_listed_not_changed(self, client, world, capsys):
        org = world["org"]
        fine, _c = submit_api(client, org)
        unclear, _c = submit_api(client, org)
        early, _c = submit_api(client, org)
        fee, _c = submit_api(client, org)
        replied = {"status": S.REPLIED, "replied_on": date(2026, 10, 9)}
        InformationRequest.objects.filter(case_number=fine).update(**replied, reply_type="disclose")
        InformationRequest.objects.filter(case_number=unclear).update(
            **replied, reply_type="unable", reply_reason="still_unclear"
        )
        # a notice recorded before periods were (no period): the default 15 days apply
        InformationRequest.objects.filter(case_number=early).update(
            **replied,
            reply_type="other",
            reply_reason="no_correction",
            correction_count=1,
            correction_requested_on=date(2026, 9, 29),
        )
        InformationRequest.objects.filter(case_number=fee).update(
            **replied, reply_type="other", reply_reason="unpaid_fee"
        )
        found = {item.case_number: item.problem for item in outcome_rule_audit()}
        assert set(found) == {unclear, early, fee}
        assert "（四）3" in found[unclear] and "未告知补正" in found[unclear]
        assert "告知书未记录补正期限，按默认15个工作日计" in found[early]
        assert "（六）2" in found[fee]
        with pytest.raises(SystemExit) as exit_:
            call_command("disclosure_outcome_audit")
        assert exit_.value.code == 1
        out = capsys.readouterr().out
        assert unclear in out and early in out and fee in out and fine not in out
        assert "共3件" in out and "不修改数据" in out
        # nothing was recounted or changed
        assert fresh(fee).reply_reason == "unpaid_fee" and fresh(fee).reply_summary.endswith(
            "行政机关不再处理其政府信息公开申请）"
        )
        call_command("disclosure_outcome_audit", "--organisation", "002482001")  # district B
        assert "未发现" in capsys.readouterr().out


def test_a_correction_notice_reaching_into_next_year_works_with_a_provisional_date(client, world):
    """On 24 Dec 2026 with no 2027 schedule entered: the notice's period reaches into 2027, so its
    last day is counted from 2027's statutory holidays and shown as 预计 — the action is not
    refused for want of a calendar."""
    number, _code = submit_api(client, world["org"], day="2026-12-22 10:00:00+08:00")
    body = {"action": "request_correction", "items": ["请写明年份"], "period_days": 10}
    response = staff_act(client, world["staff"], number, body, "2026-12-24 10:00")
    assert response.status_code == 200, response.content
    request = fresh(number)
    # 12-25, 28, 29, 30, 31, (元旦 1-1, weekend), 1-4, 5, 6, 7, 8
    assert request.correction_due_on == date(2027, 1, 8)
    notice = CaseEvent.objects.get(case_number=number, action="request_correction")
    assert "请于2027年1月8日前" in notice.note
    assert "其中日期为预计：2027年节假日安排尚未公布录入" in notice.note


def test_the_admin_report_lists_breaches_of_the_callers_organisations_only(client, world):
    org = world["org"]
    mine, _c = submit_api(client, org)
    InformationRequest.objects.filter(case_number=mine).update(
        status=S.REPLIED,
        replied_on=date(2026, 10, 9),
        reply_type="unable",
        reply_reason="still_unclear",
    )
    client.force_login(world["staff"])
    response = client.get("/admin/reports/disclosure-outcome-audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert mine in html and "（四）3" in html and "不作修改" in html
    district_b = Organisation.objects.get(code="002482001")
    other = staff_user(district_b, "xh")
    client.force_login(other)
    html = client.get("/admin/reports/disclosure-outcome-audit/").content.decode()
    assert mine not in html and "未发现答复结果不符合前提条件的申请" in html

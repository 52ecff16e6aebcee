"""撤回: the applicant withdraws a 依申请公开 request at /cx/ or through POST
/api/v1/cases/{n}/withdraw, with a reason; staff record a written or in-person withdrawal through
the staff API (`record_withdrawal`). Each is counted in table 三 under （六）其他处理 3.其他."""

import json

import pytest
from freezegun import freeze_time

from disclosure.annual_report.figures import annual_report_figures
from disclosure.requests.models import InformationRequest, RequestStatus
from portal.cases.models import CaseEvent
from tests.disclosure.requests.fixtures import legal_person, natural_person
from tests.factories import make_home, org_tree
from tests.portal.cases.staff_fixtures import staff_user

pytestmark = pytest.mark.django_db
S = RequestStatus
DAY = "2026-09-28 10:00:00+08:00"


@pytest.fixture
def world():
    make_home()
    tree = org_tree()
    return {
        "tree": tree,
        "org": tree["district_a"],
        "staff": staff_user(tree["district_a"], "hp", token=True),
        "staff_b": staff_user(tree["district_b"], "xh", token=True),
    }


def submit_api(client, data) -> tuple[str, str]:
    response = client.post(
        "/api/v1/disclosure-requests", data=json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["case_number"], response.json()["query_code"]


def withdraw_api(client, number, code, reason, **headers):
    return client.post(
        f"/api/v1/cases/{number}/withdraw",
        data=json.dumps({"query_code": code, "reason": reason}),
        content_type="application/json",
        headers=headers,
    )


def fresh(number) -> InformationRequest:
    return InformationRequest.objects.get(case_number=number)


@freeze_time(DAY)
class TestAtCx:
    def prove(self, client, number, code):
        assert client.post("/cx/", {"case_number": number, "query_code": code}).status_code == 302
        return client.get("/cx/").content.decode()

    def test_the_page_offers_it_and_a_reason_is_required(self, client, world):
        number, code = submit_api(client, natural_person(world["org"]))
        html = self.prove(client, number, code)
        assert 'action="/cx/withdraw/"' in html and "撤回理由" in html
        response = client.post("/cx/withdraw/", {"confirm": "1", "note": "  "})
        assert response.status_code == 422
        assert "请填写撤回申请的理由" in response.content.decode()
        assert fresh(number).status == S.SUBMITTED

    def test_withdrawn_with_the_reason_on_the_timeline(self, client, world):
        number, code = submit_api(client, natural_person(world["org"]))
        self.prove(client, number, code)
        response = client.post("/cx/withdraw/", {"confirm": "1", "note": "已从其他渠道获得"})
        assert response.status_code == 302
        request = fresh(number)
        assert request.status == S.WITHDRAWN and request.closed_at is not None
        assert request.withdrawal_reason == "已从其他渠道获得"
        event = CaseEvent.objects.get(case_number=number, action="withdraw")
        assert event.public and "理由：已从其他渠道获得" in event.note
        page = client.get("/cx/").content.decode()
        assert "申请已撤回" in page and 'action="/cx/withdraw/"' not in page


class TestPublicApi:
    def test_withdraw_then_409_and_404_for_a_wrong_code(self, client, world):
        with freeze_time(DAY):
            number, code = submit_api(client, legal_person(world["org"]))
            assert withdraw_api(client, number, "WRONG-CODE00", "不需要了").status_code == 404
            missing = withdraw_api(client, number, code, "")
            assert missing.status_code == 422
            assert missing.json()["errors"]["reason"] == ["请填写撤回申请的理由。"]
            response = withdraw_api(client, number, code, "已协商解决")
            assert response.status_code == 200, response.content
            body = response.json()
            assert body["status"] == "withdrawn" and body["status_label"] == "申请人已撤回"
            again = withdraw_api(client, number, code, "已协商解决")
            assert again.status_code == 409 and "不能执行" in again.json()["detail"]
        assert fresh(number).withdrawal_reason == "已协商解决"

    def test_idempotency_key_answers_the_first_result(self, client, world):
        with freeze_time(DAY):
            number, code = submit_api(client, natural_person(world["org"]))
            first = withdraw_api(client, number, code, "不需要了", **{"Idempotency-Key": "w-1"})
            second = withdraw_api(client, number, code, "不需要了", **{"Idempotency-Key": "w-1"})
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert CaseEvent.objects.filter(case_number=number, action="withdraw").count() == 1

    def test_a_kind_without_online_withdrawal_is_refused(self, client, world):
        with freeze_time(DAY):
            response = client.post(
                "/api/v1/complaints",
                data=json.dumps(
                    {
                        "subject": "窗口服务态度",
                        "content": "窗口工作人员态度生硬。",
                        "complainant_name": "王五",
                        "complainant_phone": "13812341234",
                        "publish_consent": False,
                    }
                ),
                content_type="application/json",
            )
            assert response.status_code == 201, response.content
            body = response.json()
            refused = withdraw_api(client, body["case_number"], body["query_code"], "不投诉了")
        assert refused.status_code == 409
        assert "不支持网上撤回" in refused.json()["detail"]


class TestStaffApi:
    def act(self, client, user, number, body):
        return client.post(
            f"/api/v1/staff/cases/{number}/actions",
            json.dumps({"version": fresh(number).version, **body}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {user.api_token}",
        )

    def test_staff_record_a_written_withdrawal_with_its_reason(self, client, world):
        with freeze_time(DAY):
            number, _code = submit_api(client, natural_person(world["org"]))
            detail = client.get(
                f"/api/v1/staff/cases/{number}",
                HTTP_AUTHORIZATION=f"Bearer {world['staff'].api_token}",
            ).json()
            assert "record_withdrawal" in {a["action"] for a in detail["available_actions"]}
            assert "withdraw" not in {a["action"] for a in detail["available_actions"]}
            outsider = self.act(
                client, world["staff_b"], number, {"action": "record_withdrawal", "reason": "x"}
            )
            assert outsider.status_code == 404
            missing = self.act(client, world["staff"], number, {"action": "record_withdrawal"})
            assert missing.status_code == 422 and "reason" in missing.json()["errors"]
            # the citizen's own action is not a staff action
            assert (
                self.act(client, world["staff"], number, {"action": "withdraw"}).status_code == 409
            )
            done = self.act(
                client,
                world["staff"],
                number,
                {"action": "record_withdrawal", "reason": "申请人来函撤回申请"},
            )
        assert done.status_code == 200, done.content
        assert done.json()["status"] == "withdrawn"
        event = CaseEvent.objects.get(case_number=number, action="record_withdrawal")
        assert "由工作人员登记" in event.note and "申请人来函撤回申请" in event.note
        assert event.actor == world["staff"]


def test_withdrawals_count_under_other_other_in_table_three(client, world):
    """Two withdrawn (one at /cx/-equivalent API, one recorded by staff), one replied: table 三
    counts both withdrawals in （六）3.其他 of their columns, and the table balances."""
    org = world["org"]
    with freeze_time("2025-03-03 10:00:00+08:00"):
        natural, natural_code = submit_api(client, natural_person(org))
        legal, _c = submit_api(client, legal_person(org, organisation_kind="research"))
        assert withdraw_api(client, natural, natural_code, "不需要了").status_code == 200
        response = client.post(
            f"/api/v1/staff/cases/{legal}/actions",
            json.dumps(
                {
                    "version": fresh(legal).version,
                    "action": "record_withdrawal",
                    "reason": "来函撤回",
                }
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {world['staff'].api_token}",
        )
        assert response.status_code == 200
    figures = annual_report_figures(year=2025, organisation=org)
    outcomes = figures["requests"]["outcomes"]
    assert outcomes["other:other"]["natural_person"] == 1
    assert outcomes["other:other"]["research"] == 1
    assert outcomes["other:other"]["total"] == 2
    assert figures["requests"]["handled"]["total"] == figures["requests"]["new"]["total"] == 2

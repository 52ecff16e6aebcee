from datetime import timedelta

import pytest
from django.utils import timezone

from portal.cases.actions import case_act
from portal.cases.models import CaseEvent
from services.models import Application, ApplicationStatus
from tests.portal.cases.staff_fixtures import submit, two_district_world
from tests.services.case_fixtures import case_world

pytestmark = pytest.mark.django_db
S = ApplicationStatus
LIST = "/api/v1/staff/cases"


@pytest.fixture
def world():
    w = two_district_world(case_world())
    w["case_a"] = submit(w["guide"])
    w["case_b"] = submit(w["guide_b"], applicant_name="李四")
    return w


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {user.api_token}"}


def act(client, user, case, body, **headers):
    return client.post(
        f"{LIST}/{case.case_number}/actions",
        body,
        content_type="application/json",
        **auth(user),
        **headers,
    )


class TestAuth:
    @pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Token abc"])
    def test_missing_or_bad_token_is_401(self, client, world, header):
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        for response in (
            client.get(LIST, **extra),
            client.get(f"{LIST}/{world['case_a'].case_number}", **extra),
            client.post(
                f"{LIST}/{world['case_a'].case_number}/actions",
                {"action": "accept", "version": 1},
                content_type="application/json",
                **extra,
            ),
        ):
            assert response.status_code == 401
            assert response.json() == {"detail": "需要有效的访问令牌。", "errors": {}}
        world["case_a"].refresh_from_db()
        assert world["case_a"].status == S.SUBMITTED

    def test_inactive_user_token_is_401(self, client, world):
        world["staff_a"].is_active = False
        world["staff_a"].save()
        assert client.get(LIST, **auth(world["staff_a"])).status_code == 401

    def test_openapi_documents_the_staff_endpoints_with_bearer_auth(self, client):
        doc = client.get("/api/v1/openapi.json").json()
        assert "/api/v1/staff/cases" in doc["paths"]
        assert "/api/v1/staff/cases/{case_number}/actions" in doc["paths"]
        assert doc["paths"]["/api/v1/staff/cases"]["get"]["security"] == [{"StaffTokenAuth": []}]
        assert doc["components"]["securitySchemes"]["StaffTokenAuth"]["scheme"] == "bearer"


class TestList:
    def test_scoped_to_the_callers_organisations_without_applicant_data(self, client, world):
        body = client.get(LIST, **auth(world["staff_b"])).json()
        assert [r["case_number"] for r in body["results"]] == [world["case_b"].case_number]
        item = body["results"][0]
        assert set(item) == {
            "case_number",
            "kind",
            "status",
            "status_label",
            "service_item",
            "submitted_at",
            "due_date",
            "due_date_provisional",
            "overdue",
            "due_soon",
            "version",
        }
        assert item["kind"] == "application" and item["service_item"] == "310104-MZ-009"
        assert item["status_label"] == "已提交，待受理" and item["version"] == 1
        assert "李四" not in str(body)
        numbers = {
            r["case_number"] for r in client.get(LIST, **auth(world["staff_a"])).json()["results"]
        }
        assert numbers == {world["case_a"].case_number}

    def test_filters(self, client, world):
        a = world["case_a"]
        extra = submit(world["guide"])
        case_act(a, action="accept", actor=None, organisation_ids=None, version=None)
        Application.objects.filter(pk=extra.pk).update(
            due_date=timezone.localdate() - timedelta(days=1)
        )

        def numbers(**params):
            response = client.get(LIST, params, **auth(world["staff_a"]))
            assert response.status_code == 200, response.json()
            return {r["case_number"] for r in response.json()["results"]}

        assert numbers(status="accepted") == {a.case_number}
        assert numbers(overdue="true") == {extra.case_number}
        assert numbers(overdue="false") == {a.case_number}
        assert numbers(service_item="310100-MZ-001") == {a.case_number, extra.case_number}
        assert numbers(service_item="310104-MZ-009") == set()  # district B's item
        assert numbers(kind="application") == {a.case_number, extra.case_number}
        assert numbers(kind="complaint") == set()

    def test_bad_filters_are_422_in_chinese(self, client, world):
        response = client.get(LIST, {"overdue": "maybe", "kind": "x"}, **auth(world["staff_a"]))
        assert response.status_code == 422
        assert response.json()["errors"]["overdue"] == ["请输入 true 或 false。"]
        assert response.json()["errors"]["kind"] == ["取值不在允许范围内。"]
        response = client.get(LIST, {"status": "nonsense"}, **auth(world["staff_a"]))
        assert (
            response.status_code == 422 and "没有这个状态" in response.json()["errors"]["status"][0]
        )

    def test_pagination(self, client, world):
        for _ in range(4):
            submit(world["guide"])
        body = client.get(LIST, {"page_size": 2, "page": 3}, **auth(world["staff_a"])).json()
        assert (body["count"], body["pages"], body["page"], len(body["results"])) == (5, 3, 3, 1)
        response = client.get(LIST, {"page_size": 2, "page": 4}, **auth(world["staff_a"]))
        assert response.status_code == 422

    @pytest.mark.parametrize("n", [5, 50])
    def test_fixed_query_count(self, client, world, django_assert_num_queries, n):
        for _ in range(n):
            submit(world["guide"])
        # token (1) + the user's and their groups' permissions (2) + subtree (1) + count (1) +
        # page of keys (1) + the page's cases (1)
        with django_assert_num_queries(7):
            response = client.get(LIST, **auth(world["staff_a"]))
        assert len(response.json()["results"]) == min(n + 1, 25)


class TestDetail:
    def test_masked_applicant_fields_files_timeline_actions(self, client, world):
        case = world["case_a"]
        response = client.get(f"{LIST}/{case.case_number}", **auth(world["staff_centre"]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        body = response.json()
        assert body["applicant"] == {
            "name": "张三",
            "id_number": "110***********002X",
            "phone": "138****1234",
            "email": "",
            "masked": True,
        }
        fields = {f["label"]: f["value"] for f in body["details"]["fields"]}
        assert fields["家庭人口数"] == "3" and fields["住房情况"] == "租赁"
        assert {f["material_code"] for f in body["files"]} == {"id_card", "income_proof"}
        assert "stored_name" not in body["files"][0]
        assert [e["action"] for e in body["timeline"]] == ["submit"]
        assert [a["action"] for a in body["available_actions"]] == [
            "accept",
            "reject",
            "request_correction",
        ]
        assert body["organisation"]["code"] == "002479201"
        assert "工作日" in body["deadline_explanation"]

    def test_other_organisation_and_unknown_numbers_are_404(self, client, world):
        response = client.get(f"{LIST}/{world['case_a'].case_number}", **auth(world["staff_b"]))
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到该办件。", "errors": {}}
        assert client.get(f"{LIST}/SQ1", **auth(world["staff_b"])).status_code == 404


class TestActions:
    def test_accept_then_complete(self, client, world):
        case, user = world["case_a"], world["staff_centre"]
        response = act(client, user, case, {"action": "accept", "version": 1, "note": "材料齐全"})
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "accepted" and body["version"] == 2
        assert body["status_label"] == "已受理，办理中" and body["due_date"]
        response = act(
            client,
            user,
            case,
            {
                "action": "complete",
                "version": 2,
                "outcome": "denied",
                "result": "不符合条件",
                "delivery": "online",
            },
        )
        assert response.status_code == 200 and response.json()["status"] == "completed"
        case.refresh_from_db()
        assert (case.outcome, case.delivery, case.result) == ("denied", "online", "不符合条件")
        event = CaseEvent.objects.get(case_number=case.case_number, action="accept")
        assert event.actor == user and event.actor_organisation == world["tree"]["centre_a1"]

    def test_reject_needs_a_reason(self, client, world):
        response = act(
            client, world["staff_a"], world["case_a"], {"action": "reject", "version": 1}
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"note": ["此项为必填项。"]}
        response = act(
            client,
            world["staff_a"],
            world["case_a"],
            {"action": "reject", "version": 1, "note": "不属于受理范围"},
        )
        assert response.status_code == 200 and response.json()["status"] == "rejected"

    def test_request_correction_lists_items(self, client, world):
        case = world["case_a"]
        response = act(
            client, world["staff_a"], case, {"action": "request_correction", "version": 1}
        )
        assert response.status_code == 422 and "items" in response.json()["errors"]
        response = act(
            client,
            world["staff_a"],
            case,
            {"action": "request_correction", "version": 1, "items": ["户口簿", "收入证明"]},
        )
        assert response.status_code == 200
        assert response.json()["status"] == "correction_requested"
        assert response.json()["due_date"] is None  # the clock is paused
        case.refresh_from_db()
        assert case.correction_items == ["户口簿", "收入证明"]

    def test_complete_needs_outcome_and_result(self, client, world):
        case = world["case_a"]
        case_act(case, action="accept", actor=None, organisation_ids=None, version=None)
        response = act(client, world["staff_a"], case, {"action": "complete", "version": 2})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"outcome", "result"}
        response = act(
            client,
            world["staff_a"],
            case,
            {"action": "complete", "version": 2, "outcome": "maybe", "result": "x"},
        )
        assert response.status_code == 422 and "outcome" in response.json()["errors"]

    def test_stale_version_is_409_and_changes_nothing(self, client, world):
        case = world["case_a"]
        case_act(case, action="accept", actor=None, organisation_ids=None, version=1)
        response = act(
            client, world["staff_a"], case, {"action": "reject", "version": 1, "note": "x"}
        )
        assert response.status_code == 409
        assert "已被他人处理" in response.json()["detail"]
        assert response.json()["errors"] == {"version": ["版本已过期。"]}
        case.refresh_from_db()
        assert case.status == S.ACCEPTED and case.version == 2

    @pytest.mark.parametrize("action", ["accept", "withdraw", "no_such_action"])
    def test_invalid_transition_is_409(self, client, world, action):
        case = world["case_a"]
        if action == "accept":
            case_act(case, action="accept", actor=None, organisation_ids=None, version=1)
        response = act(
            client,
            world["staff_a"],
            case,
            {"action": action, "version": case.version if action != "accept" else 2},
        )
        assert response.status_code == 409
        assert "action" in response.json()["errors"]

    def test_other_organisations_case_is_404(self, client, world):
        case = world["case_a"]
        response = act(client, world["staff_b"], case, {"action": "accept", "version": 1})
        assert response.status_code == 404
        case.refresh_from_db()
        assert case.status == S.SUBMITTED
        assert CaseEvent.objects.filter(case_number=case.case_number).count() == 1

    def test_missing_version_is_422(self, client, world):
        response = act(client, world["staff_a"], world["case_a"], {"action": "accept"})
        assert response.status_code == 422
        assert response.json()["errors"] == {"version": ["此项为必填项。"]}


class TestIdempotency:
    def test_retry_with_the_same_key_returns_the_first_answer(self, client, world):
        case, user = world["case_a"], world["staff_a"]
        body = {"action": "accept", "version": 1}
        first = act(client, user, case, body, HTTP_IDEMPOTENCY_KEY="k-1")
        second = act(client, user, case, body, HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert CaseEvent.objects.filter(case_number=case.case_number, action="accept").count() == 1
        # without the key the retry is a stale version
        assert act(client, user, case, body).status_code == 409

    def test_same_key_for_a_different_request_is_refused(self, client, world):
        case, user = world["case_a"], world["staff_a"]
        act(client, user, case, {"action": "accept", "version": 1}, HTTP_IDEMPOTENCY_KEY="k-2")
        response = act(
            client,
            user,
            case,
            {"action": "reject", "version": 2, "note": "x"},
            HTTP_IDEMPOTENCY_KEY="k-2",
        )
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["errors"]
        case.refresh_from_db()
        assert case.status == S.ACCEPTED

    def test_a_failed_request_is_not_stored(self, client, world):
        case, user = world["case_a"], world["staff_a"]
        assert (
            act(
                client, user, case, {"action": "reject", "version": 1}, HTTP_IDEMPOTENCY_KEY="k-3"
            ).status_code
            == 422
        )
        response = act(
            client,
            user,
            case,
            {"action": "reject", "version": 1, "note": "理由"},
            HTTP_IDEMPOTENCY_KEY="k-3",
        )
        # nothing was stored for the refused request, so the corrected one may reuse the key
        assert response.status_code == 200

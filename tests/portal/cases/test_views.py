"""/cx/ 办件查询 (portal/cases/views.py): the lookup, access for 30 minutes, and the follow-ups."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from portal.cases.actions import case_act
from portal.cases.lookup import LOOKUP_CASE_FREE_FAILURES
from services.applications.actions import application_submit
from services.models import ApplicationStatus, Rating
from tests.services.case_fixtures import (
    VALID_ID,
    apply_form_data,
    case_world,
    upload,
    valid_submission,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def apply_url(world):
    return world["guide"].url + "apply/"


form_data = apply_form_data


def lookup(client, number, code, **extra):
    return client.post("/cx/", {"case_number": number, "query_code": code}, **extra)


@pytest.fixture
def submitted(world):
    return application_submit(**valid_submission(world["guide"]))


def act(application, action, **kwargs):
    return case_act(
        application, action=action, actor=None, organisation_ids=None, version=None, **kwargs
    )


LOST_CODE = "任何人（包括工作人员）都无法找回或重新显示"


class TestLookupPage:
    def test_an_unfinished_case_says_what_comes_next_and_a_finished_one_offers_rating(
        self, client, submitted
    ):
        application, code = submitted
        lookup(client, application.case_number, code)
        html = client.get("/cx/").content.decode()
        assert 'data-testid="next-steps"' in html and "办结后" in html and "好差评" in html
        assert 'action="/cx/rating/"' not in html
        application = act(application, "accept")
        act(application, "complete", data={"outcome": "approved", "result": "准予"})
        html = client.get("/cx/").content.decode()
        assert 'data-testid="next-steps"' not in html and 'action="/cx/rating/"' in html

    def test_the_lookup_and_the_done_page_state_the_same_lost_code_policy(self, client, apply_url):
        assert LOST_CODE in client.get("/cx/").content.decode()
        from tests.services.case_fixtures import submit_through

        response, _token = submit_through(client, apply_url)
        assert LOST_CODE in client.get(response["Location"]).content.decode()

    def test_get_shows_the_form_and_the_nav_links_here(self, client, world):
        response = client.get("/cx/")
        html = response.content.decode()
        assert response.status_code == 200 and 'name="query_code"' in html
        assert 'href="/cx/" aria-current="page"' in html
        assert "no-store" in response["Cache-Control"]

    def test_success_shows_masked_timeline_and_deadline(self, client, submitted):
        application, code = submitted
        response = lookup(client, application.case_number.lower(), code.lower())
        assert response.status_code == 302 and response["Location"] == "/cx/"
        page = client.get("/cx/")
        html = page.content.decode()
        assert application.case_number in html
        assert "张*" in html and "138****1234" in html and "110***********002X" in html
        assert VALID_ID not in html and "13812341234" not in html and "张三" not in html
        assert (
            "提交申请" in html
            and timezone.localtime(application.submitted_at).strftime("%Y年%-m月%-d日 %H:%M")
            in html
        )
        assert application.deadline_explanation in html
        assert "no-store" in page["Cache-Control"]

    def test_unknown_number_and_wrong_code_get_the_same_answer(self, client, submitted):
        application, code = submitted
        from portal.cases.numbers import format_case_number

        other = format_case_number("application", timezone.localdate(), 999)
        wrong_code = lookup(client, application.case_number, "AAAAA-AAAAA")
        unknown = lookup(client, other, code)
        assert wrong_code.status_code == unknown.status_code == 404
        assert wrong_code.context["error"] == unknown.context["error"]

    def test_malformed_number_gets_a_specific_error(self, client, submitted):
        application, code = submitted
        typo = application.case_number[:-2] + application.case_number[-1] + "0"
        response = lookup(client, typo, code)
        assert response.status_code == 422
        assert "校验码" in response.context["error"] or "格式" in response.context["error"]
        short = lookup(client, "SQ123", code)
        assert "17位" in short.context["error"]

    def test_failures_on_a_number_make_it_wait(self, client, submitted):
        application, code = submitted
        for n in range(LOOKUP_CASE_FREE_FAILURES + 1):
            assert lookup(client, application.case_number, "WRONG-CODE").status_code == 404, n
        response = lookup(client, application.case_number, code)
        assert response.status_code == 429
        assert "秒后再试" in response.content.decode()
        assert int(response["Retry-After"]) <= 300
        assert "no-store" in response["Cache-Control"]

    def test_access_lasts_thirty_minutes(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        with freeze_time(timezone.now() + timedelta(minutes=31)):
            assert "view" not in client.get("/cx/").context

    def test_other_kinds_are_looked_up_through_the_registry(self, client, world):
        # A number of a kind with no model yet is simply "not found", with no crash.
        from portal.cases.numbers import format_case_number

        number = format_case_number("complaint", timezone.localdate(), 1)
        assert lookup(client, number, "ABCDE-FGHJK").status_code == 404


class TestFollowUps:
    def test_correction_answer_restarts_the_clock(self, client, submitted):
        application, code = submitted
        with freeze_time("2026-12-01 10:00:00+08:00"):
            act(application, "request_correction", data={"items": ["家庭收入证明原件扫描件"]})
        with freeze_time("2026-12-07 09:00:00+08:00"):
            lookup(client, application.case_number, code)
            page = client.get("/cx/")
            html = page.content.decode()
            assert "家庭收入证明原件扫描件" in html and 'action="/cx/correction/"' in html
            token = page.context["correction_token"]
            body = {"form_token": token, "note": "已补充"}
            response = client.post(
                "/cx/correction/", {**body, "material_income_proof": upload("new.pdf")}
            )
            # a double click carries the same token: one correction, the same answer
            again = client.post(
                "/cx/correction/", {**body, "material_income_proof": upload("new.pdf")}
            )
            assert again.status_code == 302
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        assert str(application.clock_start) == "2026-12-07"
        assert application.files.filter(round=1).count() == 1
        assert "补正材料已提交" in client.get("/cx/").content.decode()

    def test_correction_needs_a_granted_session(self, client, submitted):
        application, _code = submitted
        act(application, "request_correction", data={"items": ["收入证明"]})
        response = client.post("/cx/correction/", {"note": "x"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.CORRECTION_REQUESTED

    def test_rating_once_after_completion(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        assert 'action="/cx/rating/"' not in client.get("/cx/").content.decode()
        application = act(application, "accept")
        act(application, "complete", data={"outcome": "approved", "result": "准予保障"})
        html = client.get("/cx/").content.decode()
        assert "准予保障" in html and "非常满意" in html and 'action="/cx/rating/"' in html
        client.post("/cx/rating/", {"score": "5", "comment": "办理很快"})
        html = client.get("/cx/").content.decode()
        assert 'action="/cx/rating/"' not in html and "办理很快" in html
        again = client.post("/cx/rating/", {"score": "1"})
        assert again.status_code == 409 and "只能评价一次" in again.content.decode()
        assert Rating.objects.get().score == 5

    def test_withdraw_needs_confirmation(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        response = client.post("/cx/withdraw/", {})
        assert response.status_code == 400
        client.post("/cx/withdraw/", {"confirm": "1"})
        application.refresh_from_db()
        assert application.status == S.WITHDRAWN

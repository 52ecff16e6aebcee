"""The citizen's answer to a 依申请公开 补正 at /cx/ (portal/cases/views.py lookup_correction): only
for a session that proved the query code, CSRF-protected, once per form token, rate-limited,
and the 20-working-day clock restarts from the correction's receipt date."""

from datetime import date

import pytest
from django.test import Client
from freezegun import freeze_time

from disclosure.requests.actions import information_request_submit
from disclosure.requests.models import InformationRequest, RequestStatus
from portal.cases.models import CaseEvent
from portal.cases.views import CORRECTION_LIMIT
from portal.security import ratelimit
from tests.disclosure.requests.fixtures import act, natural_person
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db
S = RequestStatus
NEW_DESCRIPTION = "2025年度黄浦区最低生活保障资金发放总额及保障人数（按季度）"


@pytest.fixture
def waiting():
    """A request received Thu 2026-11-26, told on Mon 11-30 to correct it (paused)."""
    make_home()
    org = org_tree()["district_a"]
    with freeze_time("2026-11-26 10:00:00+08:00"):
        request, code = information_request_submit(**natural_person(org))
    with freeze_time("2026-11-30 10:00:00+08:00"):
        request = act(request, "request_correction", data={"items": ["请写明所需信息的年份和地区"]})
    return request, code


def prove(client, request, code):
    response = client.post("/cx/", {"case_number": request.case_number, "query_code": code})
    assert response.status_code == 302 and response["Location"] == "/cx/"
    return client.get("/cx/")


def correction_form(client, request, code) -> tuple[str, str]:
    """The lookup page's HTML and the form token of its correction form."""
    page = prove(client, request, code)
    return page.content.decode(), page.context["correction_token"]


def corrections(request) -> int:
    return CaseEvent.objects.filter(
        case_number=request.case_number, action="submit_correction"
    ).count()


def test_the_lookup_shows_the_notice_and_the_form(client, waiting):
    request, code = waiting
    with freeze_time("2026-12-01 09:00:00+08:00"):
        html, token = correction_form(client, request, code)
    assert "请写明所需信息的年份和地区" in html and "2026年11月30日" in html
    assert 'action="/cx/correction/"' in html and f'value="{token}"' in html
    assert 'name="description"' in html and "补正申请内容" in html
    assert code not in html  # the query code is never shown again


def test_correction_restarts_the_clock_from_its_receipt_date(client, waiting):
    request, code = waiting
    with freeze_time("2026-12-02 09:00:00+08:00"):  # a Wednesday, a working day
        _html, token = correction_form(client, request, code)
        response = client.post(
            "/cx/correction/",
            {"form_token": token, "description": NEW_DESCRIPTION, "note": "已补充年份"},
        )
        assert response.status_code == 302 and response["Location"] == "/cx/"
        page = client.get("/cx/").content.decode()
    assert "补正已提交" in page and "2026年12月2日收到补正" in page
    request = InformationRequest.objects.get(pk=request.pk)
    assert request.status == S.SUBMITTED
    assert request.description == NEW_DESCRIPTION
    assert request.correction_received_on == date(2026, 12, 2) == request.clock_start
    # 20 working days after 12-02 (no holiday in between): 12-30
    assert request.due_date == date(2026, 12, 30)


def test_a_correction_sent_on_a_saturday_is_received_on_monday(client, waiting):
    request, code = waiting
    with freeze_time("2026-12-05 20:00:00+08:00"):  # Saturday evening
        _html, token = correction_form(client, request, code)
        client.post("/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION})
    request = InformationRequest.objects.get(pk=request.pk)
    assert request.correction_received_on == date(2026, 12, 7) == request.clock_start


def test_a_double_submit_corrects_once(client, waiting):
    request, code = waiting
    _html, token = correction_form(client, request, code)
    body = {"form_token": token, "description": NEW_DESCRIPTION}
    first = client.post("/cx/correction/", body)
    second = client.post("/cx/correction/", body)
    assert first.status_code == second.status_code == 302
    assert corrections(request) == 1
    assert "补正已提交" in client.get("/cx/").content.decode()


def test_a_form_without_its_token_is_refused(client, waiting):
    request, code = waiting
    prove(client, request, code)
    response = client.post("/cx/correction/", {"description": NEW_DESCRIPTION})
    assert response.status_code == 422
    assert "表单已失效" in response.content.decode()
    assert corrections(request) == 0


def test_a_correction_needs_content(client, waiting):
    request, code = waiting
    _html, token = correction_form(client, request, code)
    response = client.post("/cx/correction/", {"form_token": token, "description": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写补正后的内容描述或补正说明。" in html and 'aria-invalid="true"' in html
    assert InformationRequest.objects.get(pk=request.pk).status == S.CORRECTION_REQUESTED
    # the same token still works once the form is filled in
    response = client.post("/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION})
    assert response.status_code == 302 and corrections(request) == 1


def test_only_a_session_that_proved_the_query_code(waiting):
    request, code = waiting
    stranger = Client()
    stranger.get("/cx/")
    response = stranger.post(
        "/cx/correction/", {"form_token": "x" * 32, "description": NEW_DESCRIPTION}
    )
    assert response.status_code == 302 and response["Location"] == "/cx/"
    assert InformationRequest.objects.get(pk=request.pk).status == S.CORRECTION_REQUESTED


def test_csrf_is_enforced(waiting):
    request, code = waiting
    client = Client(enforce_csrf_checks=True)
    page = client.get("/cx/")
    csrf = page.cookies["csrftoken"].value
    client.post(
        "/cx/",
        {"case_number": request.case_number, "query_code": code, "csrfmiddlewaretoken": csrf},
    )
    token = client.get("/cx/").context["correction_token"]
    refused = client.post("/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION})
    assert refused.status_code == 403 and corrections(request) == 0
    accepted = client.post(
        "/cx/correction/",
        {"form_token": token, "description": NEW_DESCRIPTION, "csrfmiddlewaretoken": csrf},
    )
    assert accepted.status_code == 302 and corrections(request) == 1


def test_corrections_are_rate_limited_per_client(client, waiting):
    """Ten corrections per client address and hour (pinned here, not read from the product)."""
    request, code = waiting
    _html, token = correction_form(client, request, code)
    for _n in range(10):
        ratelimit.hit(CORRECTION_LIMIT, "127.0.0.1")
    response = client.post("/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION})
    assert response.status_code == 429 and "补正提交过于频繁" in response.content.decode()
    assert corrections(request) == 0


def test_the_tenth_correction_of_an_hour_is_still_taken(client, waiting):
    request, code = waiting
    _html, token = correction_form(client, request, code)
    for _n in range(9):
        ratelimit.hit(CORRECTION_LIMIT, "127.0.0.1")
    response = client.post("/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION})
    assert response.status_code == 302 and corrections(request) == 1


def test_after_the_request_was_closed_for_no_correction(client, waiting):
    """A correction is taken while the request waits for it (also after the notice's period, until
    staff close the request); once staff have closed it as 逾期不补正 after the period lapsed,
    the form is gone and a late correction is refused with a clear message."""
    request, code = waiting
    # the notice's period (15 working days after 11-30) ends on 12-21; closing needs it lapsed
    with freeze_time("2026-12-22 10:00:00+08:00"):
        _html, token = correction_form(client, request, code)
        act(
            InformationRequest.objects.get(pk=request.pk),
            "reply",
            data={
                "reply_type": "other",
                "reason": "no_correction",
                "letter": "逾期未补正，不再处理。",
            },
        )
        page = client.get("/cx/").content.decode()
        assert "补正申请内容" not in page and 'name="description"' not in page
        response = client.post(
            "/cx/correction/", {"form_token": token, "description": NEW_DESCRIPTION}
        )
    assert response.status_code == 400
    assert "该申请当前不需要补正（状态：已答复）" in response.content.decode()
    assert corrections(request) == 0


def test_no_form_while_the_request_does_not_wait_for_a_correction(client):
    make_home()
    org = org_tree()["district_a"]
    request, code = information_request_submit(**natural_person(org))
    html = prove(client, request, code).content.decode()
    assert 'action="/cx/correction/"' not in html

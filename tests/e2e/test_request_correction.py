"""依申请公开 补正 in a real browser: the applicant looks the request up at /cx/, reads the notice
and sends a corrected description — a double click corrects once."""

import pytest

from disclosure.requests.actions import information_request_submit
from disclosure.requests.models import InformationRequest
from portal.cases.models import CaseEvent
from tests.disclosure.requests.fixtures import act, natural_person
from tests.services.case_fixtures import case_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lookup_and_answer_a_correction(live_server, page):
    world = case_world()
    request, code = information_request_submit(**natural_person(world["tree"]["district_a"]))
    act(request, "request_correction", data={"items": ["请写明所需信息的年份"]})

    page.goto(live_server.url + "/cx/")
    page.get_by_label("受理编号").fill(request.case_number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    section = page.get_by_test_id("request-correction")
    assert "请写明所需信息的年份" in section.inner_text()
    page.get_by_label("补正后的所需信息内容描述").fill("2025年度本区最低生活保障资金发放总额")
    page.get_by_role("button", name="提交补正").dblclick()
    page.wait_for_selector(".notice-ok")
    assert "补正已提交" in page.locator(".notice-ok").inner_text()
    assert code not in page.url and request.case_number not in page.url
    assert page.get_by_test_id("lookup-status").inner_text() == "已提交，待受理"
    assert InformationRequest.objects.get(pk=request.pk).description.startswith("2025年度")
    assert (
        CaseEvent.objects.filter(
            case_number=request.case_number, action="submit_correction"
        ).count()
        == 1
    )

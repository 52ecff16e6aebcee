"""The whole citizen loop in a real browser: apply → check → confirmation → lookup → (staff
completes) → rating."""

import pytest

from portal.cases.actions import case_act
from services.models import Application, Rating
from tests.services.case_fixtures import PDF, PNG, VALID_ID, case_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_apply_lookup_and_rate(live_server, page):
    world = case_world()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + world["guide"].url + "apply/")

    # A first try with a bad ID number: the summary links to the field, the file is kept.
    page.get_by_label("申请人姓名").fill("张三")
    page.get_by_label("身份证号码").fill("110105194912310021")
    page.get_by_label("联系电话").fill("13812341234")
    page.get_by_label("家庭人口数").fill("3")
    page.get_by_label("申请理由").fill("家庭成员因病失去劳动能力")
    page.get_by_label("租赁").check()
    page.get_by_label("申请人身份证").set_input_files(
        {"name": "id.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("家庭收入证明").set_input_files(
        {"name": "income.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="下一步：核对信息").click()
    summary = page.locator(".error-summary")
    # Focus moves to the summary, so keyboard and screen-reader users start at the problems.
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "身份证号码校验位不正确" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "f-applicant_id_number"
    page.get_by_label("身份证号码").fill(VALID_ID)
    page.get_by_role("button", name="下一步：核对信息").click()

    page.wait_for_url("**/apply/check/", timeout=60000)
    assert "income.png" in page.content()
    # Submitting without the declaration of truthfulness (承诺) is refused.
    page.get_by_role("button", name="确认并提交申请").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert Application.objects.count() == 0
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="确认并提交申请").click()
    page.wait_for_url("**/apply/done/", timeout=60000)
    case_number = page.get_by_test_id("case-number").inner_text()
    query_code = page.get_by_test_id("query-code").inner_text()
    assert Application.objects.filter(case_number=case_number).count() == 1
    assert query_code not in page.url

    # A fresh visitor (no session) looks the case up from the main navigation.
    page.context.clear_cookies()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办件查询").click()
    page.wait_for_url("**/cx/")
    page.get_by_label("受理编号").fill(case_number)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询", exact=True).click()
    assert page.get_by_test_id("lookup-status").inner_text() == "已提交，待受理"
    assert "张*" in page.content() and VALID_ID not in page.content()

    # Staff accept and complete the case (the workbench is another branch's work).
    application = Application.objects.get(case_number=case_number)
    application = case_act(
        application, action="accept", actor=None, organisation_ids=None, version=None
    )
    case_act(
        application,
        action="complete",
        actor=None,
        organisation_ids=None,
        version=None,
        data={"outcome": "approved", "result": "准予纳入最低生活保障"},
    )

    page.reload()
    assert page.get_by_test_id("lookup-status").inner_text() == "已办结"
    assert "准予纳入最低生活保障" in page.get_by_test_id("lookup-result").inner_text()
    page.get_by_label("非常满意").check()
    page.get_by_label("意见建议（选填，500字以内）").fill("办理很快")
    page.get_by_role("button", name="提交评价").click()
    assert "非常满意" in page.get_by_test_id("rating-given").inner_text()
    assert Rating.objects.get(case_number=case_number).score == 5
    assert not [e for e in errors if "Content Security Policy" in e]

"""满意度问卷 on a phone (390 px) in elder mode: the answer page never scrolls sideways, works
without JavaScript, and a link answers once; the results page fits too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.surveys.actions import token_hash
from portal.surveys.models import SurveyAnswer, SurveyDraw, SurveyInvitation
from tests.factories import org_tree
from tests.portal.surveys.world import questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOKEN = "e2e-survey-token-0123456789abcdefghijklmnopq"


def _link():
    tree = org_tree()
    q = questionnaire()
    now = timezone.now()
    draw = SurveyDraw.objects.create(
        questionnaire=q,
        organisation=tree["centre_a1"],
        year=now.year,
        month=now.month,
        seed="s",
        population=3,
        no_contact=0,
        sampled=1,
        drawn_at=now,
    )
    SurveyInvitation.objects.create(
        draw=draw,
        organisation=draw.organisation,
        case_kind="application",
        case_number="SQ20261101000001X",
        token_hash=token_hash(TOKEN),
        created_at=now,
        expires_at=now + timedelta(days=30),
    )


def test_answering_on_a_phone_in_elder_mode(browser, live_server):
    _link()
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "elder_mode", "value": "1", "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{live_server.url}/hdjl/wj/d/{TOKEN}/")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="提交问卷").click()  # nothing answered: the errors, in Chinese
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible() and "请回答这道题" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("group", name="总体满意度").get_by_label("满意", exact=True).check()
    page.get_by_role("group", name="办理次数").get_by_label("一次办成").check()
    page.get_by_label("等候时间").check()
    page.get_by_label("其他意见").fill("引导员很热情")
    page.get_by_role("button", name="提交问卷").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="问卷已提交").is_visible()
    assert SurveyAnswer.objects.filter(score=4).count() == 1
    page.goto(f"{live_server.url}/hdjl/wj/d/{TOKEN}/")
    assert "已经提交过" in page.content()
    page.goto(f"{live_server.url}/hdjl/wj/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("heading", name="满意度调查结果", exact=True).is_visible()
    context.close()

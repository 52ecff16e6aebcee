"""预约办理 on a phone (390×844), then in elder mode: choose the centre from the guide page, pick a
slot, enter both parties, get the reference and the code once, find the booking again under /cx/
and cancel it. The page never scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from services.appointments.actions import slots_generate
from services.appointments.models import Appointment
from tests.services.appointments.fixtures import add_bookable, id_number
from tests.services.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page):
    assert page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("elder", [False, True])
def test_book_a_marriage_registration_on_a_phone(live_server, browser, elder):
    w = build_world()
    bookable = add_bookable(w["centre"], w["marriage"], capacity=2, both_parties=True)
    today = timezone.localdate()
    slots_generate(bookable=bookable, start=today, end=today + timedelta(days=30))
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    if elder:
        context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + w["marriage"].url)
        page.get_by_test_id("book-visit").click()
        page.get_by_role("link", name=w["centre"].title).click()
        page.wait_for_url("**/yy/*/*/")
        _no_sideways_scroll(page)
        page.locator("label.slot:not(.full)").first.click()
        page.fill("#f-name", "王五")
        page.fill("#f-id_number", id_number())
        page.fill("#f-phone", "13912345678")
        page.fill("#f-partner_name", "赵六")
        page.fill("#f-partner_id_number", id_number())
        _no_sideways_scroll(page)
        page.get_by_test_id("book-submit").click()
        page.wait_for_url("**/yy/done/")
        _no_sideways_scroll(page)
        reference = page.get_by_test_id("appointment-reference").inner_text()
        code = page.get_by_test_id("appointment-code").inner_text()
        assert Appointment.objects.get().reference == reference
        assert "13912345678" not in page.content()

        page.goto(live_server.url + "/cx/")
        page.fill("input[name=case_number]", reference)
        page.fill("input[name=query_code]", code)
        page.locator("form:has(input[name=case_number]) button[type=submit]").first.click()
        page.wait_for_url("**/cx/yy/")
        assert page.get_by_test_id("appointment-status").inner_text() == "已预约"
        _no_sideways_scroll(page)
        page.get_by_text("取消预约", exact=True).first.click()
        page.fill("#c-code", code)
        page.get_by_test_id("appointment-cancel").click()
        page.wait_for_selector("text=预约已取消。")
        assert page.get_by_test_id("appointment-status").inner_text() == "已取消"
    finally:
        context.close()

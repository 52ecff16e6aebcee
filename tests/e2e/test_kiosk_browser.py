"""进屏 in a real browser: the keypad enters a case number and query code, the answer shows, and
the idle reset returns to the start screen with the answer gone — in the page, in the history and
in the browser's storage."""

import pytest

from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission
from tests.services.factories import add_centre, add_centre_index

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tap(page, text: str) -> None:
    for ch in text:
        page.locator(f'.kiosk-keypad [data-key="{ch}"]').click()


def test_keypad_lookup_then_idle_reset_returns_to_the_start_screen(live_server, page, settings):
    settings.KIOSK_IDLE_SECONDS = 4
    settings.KIOSK_RESULT_SECONDS = 120  # the idle reset, not the result's own timer, clears it
    world = case_world()
    centre = add_centre(
        add_centre_index(world["bsfw"]),
        organisation=world["tree"]["centre_a1"],
        service_items=[world["guide"]],
    )
    application, code = application_submit(**valid_submission(world["guide"]))
    number = application.case_number
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    start = f"{live_server.url}/kiosk/{world['tree']['centre_a1'].code}/"
    page.goto(start)
    assert page.locator("h1").inner_text() == "欢迎使用自助服务"
    assert centre.title in page.locator(".kiosk-place").inner_text()
    page.get_by_role("link", name="办件查询").first.click()
    page.wait_for_url("**/lookup/")

    # The keypad writes into the case number field: SQ as one key, then digits and the check.
    page.locator('.kiosk-keypad [data-key="SQ"]').click()
    tap(page, number[2:])
    assert page.locator("#kiosk-case-number").input_value() == number
    page.locator('[data-key-action="backspace"]').click()
    assert page.locator("#kiosk-case-number").input_value() == number[:-1]
    tap(page, number[-1])
    page.locator('[data-key-action="next"]').click()
    typed = code.replace("-", "")  # shown as ABCDE-FGHJK; the keypad has no hyphen
    tap(page, typed)
    assert page.locator("#kiosk-query-code").input_value() == typed
    assert page.locator("#kiosk-case-number").input_value() == number
    page.get_by_role("button", name="查询", exact=True).click()

    result = page.locator("[data-kiosk-lookup-result]")
    result.wait_for()
    assert number in result.inner_text()
    assert application.status_label in result.inner_text()
    # The answer's address is the keypad's: a reload never posts the code again.
    assert page.url.endswith("/lookup/")

    # Nobody touches the screen: back to the start, the answer gone.
    page.wait_for_url(start, timeout=15000)
    assert page.locator("h1").inner_text() == "欢迎使用自助服务"
    assert number not in page.content()
    assert page.context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    # Back leads to an empty keypad, never to the answer.
    page.go_back()
    page.wait_for_load_state()
    assert number not in page.content()
    assert page.locator("[data-kiosk-lookup-result]").count() == 0
    assert not [e for e in errors if "Content Security Policy" in e]


def test_touching_the_screen_keeps_the_page_and_idling_on_a_guide_returns(
    live_server, page, settings
):
    settings.KIOSK_IDLE_SECONDS = 3
    world = case_world()
    page.goto(f"{live_server.url}/kiosk/guide/{world['guide'].pk}/")
    assert page.locator("h1").inner_text() == world["guide"].title
    assert page.locator(".kiosk-qr img").evaluate("img => img.naturalWidth") > 0
    for _ in range(3):  # touches keep resetting the timer
        page.wait_for_timeout(1500)
        page.locator("h1").click()
    assert "/kiosk/guide/" in page.url
    page.wait_for_url(f"{live_server.url}/kiosk/", timeout=10000)
    # No sideways scroll on a phone-sized screen either.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/kiosk/lookup/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

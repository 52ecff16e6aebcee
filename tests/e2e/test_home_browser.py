import pytest

from tests.factories import add_standard_page, make_home

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_navigates_by_keyboard_and_switches_elder_mode(live_server, page):
    home = make_home()
    add_standard_page(home, "政府信息公开", "xxgk")
    page.goto(live_server.url + "/")
    assert page.title().startswith("阳光政务测试首页")
    # The first Tab lands on the skip link; Enter moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="长者模式").click()
    page.wait_for_selector("html.elder")
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert elder_size > base_size
    page.get_by_role("button", name="退出长者模式").click()
    page.wait_for_selector("html:not(.elder)")

    page.get_by_role("link", name="政府信息公开").first.click()
    page.wait_for_url("**/xxgk/")
    assert page.locator("h1").inner_text() == "政府信息公开"


def test_no_csp_violations_on_the_home_page(live_server, page):
    make_home()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    assert not [e for e in errors if "Content Security Policy" in e]

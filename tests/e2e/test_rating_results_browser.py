"""/hdjl/hcp/ on a phone (390 px): the page itself never scrolls sideways (the wide tables scroll
inside their own focusable region), and the period selector works without JavaScript."""

import pytest

from tests.services.ratings.figures_world import figures_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rating_results_on_a_phone(browser, live_server):
    figures_world()
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/hdjl/hcp/?year=2026")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.get_by_role("region", name="各区统计表")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # scrolls inside its region
    page.get_by_label("月份").select_option("11")
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    assert "month=11" in page.url
    assert page.get_by_role("heading", name="2026年11月全市汇总").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

"""An editor on a phone creates a page with a Chinese title and never opens the 推广 tab: the
first 保存草稿 succeeds and the page gets a pinyin slug (PortalPageForm), the page is in Chinese,
and the dashboard lists it under 我的工作 › 我的草稿."""

import pytest

from portal.models import StandardPage
from tests.factories import UserFactory, make_home

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_a_chinese_title_saves_on_the_first_submit(live_server, phone):
    UserFactory(username="browser-editor", is_superuser=True)
    home = make_home()
    page = phone
    page.goto(live_server.url + "/admin/login/")
    assert page.title().endswith("阳光政务管理后台")
    page.locator("#id_username").fill("browser-editor")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + f"/admin/pages/add/portal/standardpage/{home.pk}/")
    page.wait_for_selector("form[data-edit-form]")
    page.locator("#id_title").fill("关于开展养老服务补贴年审的公告")
    page.locator("#id_title").blur()
    page.locator("button.action-save").first.click()
    page.wait_for_url("**/admin/pages/*/edit/**")

    created = StandardPage.objects.get(title="关于开展养老服务补贴年审的公告")
    assert created.slug == "guan-yu-kai-zhan-yang-lao-fu-wu-bu-tie-nian-shen-de-gong-gao"
    assert page.title().endswith("阳光政务管理后台")

    page.goto(live_server.url + "/admin/")
    drafts = page.locator('[data-my-work="drafts"]')
    assert "关于开展养老服务补贴年审的公告" in drafts.inner_text()

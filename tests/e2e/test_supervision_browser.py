"""明察暗访 on a phone (390 px): a supervisor signs in, files a report with a photo taken on site,
and the centre's organisation gets its rectification case; neither the form nor the public page
/hdjl/mcaf/ scrolls sideways."""

import re

import pytest

from services.supervision.models import SupervisionVisit
from tests import samples
from tests.services.supervision.fixtures import supervision_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_files_a_report_on_a_phone(browser, live_server, tmp_path):
    world = supervision_world()
    picture = tmp_path / "现场.png"
    picture.write_bytes(samples.PNG)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/mcaf/new/")
    page.fill("input[name=username]", "supervisor_li")
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form [type=submit]").first.click()
    page.wait_for_url("**/admin/mcaf/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("暗访中心").select_option(str(world["centre_a"].pk))
    page.get_by_label("窗口人员在岗在位").check()
    page.get_by_label("一次性告知").check()
    page.get_by_label("发现问题").fill("窗口人员未一次性告知所需材料。")
    page.set_input_files("#id_photos", str(picture))
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_load_state()
    errors = [
        " ".join(t.split())
        for t in page.locator(".error-message, .help-critical, .messages").all_text_contents()
    ]
    assert "/new/" not in page.url, errors
    page.wait_for_url(re.compile(r"/admin/mcaf/\d+/$"))
    assert "已转交外滩街道社区事务受理服务中心整改" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit = SupervisionVisit.objects.get()
    assert visit.photos.count() == 1 and visit.rectification.case_number.startswith("ZG")

    public = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    ).new_page()
    public.goto(f"{live_server.url}/hdjl/mcaf/")
    assert public.get_by_role("heading", name="明察暗访", exact=True).is_visible()
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    assert "窗口人员未一次性告知" not in public.content()
    context.close()

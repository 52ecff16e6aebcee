"""Every public page type of the demo site on a phone (390×844), in normal and 长者模式 (elder mode):
no sideways scroll, no axe-core WCAG 2.1 AA violation, and in elder mode a header that leaves most
of the first screen to the content.

axe-core comes from the npm registry, pinned by tests/e2e/package-lock.json; `make test` installs
it (`npm ci --prefix tests/e2e`). One browser page is reused for all the pages: a failure lists
every page and rule at once instead of stopping at the first."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The header and main navigation in elder mode may take about a third of the first screen.
ELDER_HEADER_MAX = 844 // 3 + 10


def public_pages() -> dict[str, str]:
    """One URL per public page type of the demo site (name → path)."""
    from disclosure.models import (
        AnnualReportIndexPage,
        AnnualReportPage,
        DisclosureDocumentPage,
    )
    from services.complaints.selectors import published_replies
    from services.models import (
        FeeStandardPage,
        ServiceCentreIndexPage,
        ServiceCentrePage,
        ServiceCommitmentPage,
        ServiceGuidePage,
        ServiceIndexPage,
    )

    def first(model, **filters):
        page = model.objects.live().filter(**filters).order_by("path").first()
        assert page is not None, f"the demo site has no {model.__name__}"
        return page.url

    guide = ServiceGuidePage.objects.live().filter(online_application_open=True).first()
    reply = published_replies().first()
    assert reply is not None, "the demo site has no published complaint reply"
    return {
        "首页": "/",
        "政府信息公开（公开目录）": "/xxgk/",
        "公开目录栏目": "/xxgk/zcfg/",
        "公开目录筛选": "/xxgk/?topic=&year=2025&q=养老",
        "公开文件": first(DisclosureDocumentPage),
        "公开指南": "/xxgk/gkzn/",
        "年度报告栏目": first(AnnualReportIndexPage),
        "年度报告": first(AnnualReportPage),
        "依申请公开": "/xxgk/ysqgk/",
        "依申请公开答复查询": "/xxgk/ysqgk/reply/",
        "办事服务": first(ServiceIndexPage, depth=3),
        "办事服务（区）": first(ServiceIndexPage, depth=4),
        "办事指南": guide.url,
        "在线申请": guide.url + "apply/",
        "收费标准": first(FeeStandardPage),
        "服务承诺": first(ServiceCommitmentPage),
        "受理中心": first(ServiceCentreIndexPage),
        "受理中心详情": first(ServiceCentrePage),
        "互动交流": "/hdjl/",
        "我要投诉": "/hdjl/ts/",
        "答复公开": "/hdjl/dfgk/",
        "答复公开详情": f"/hdjl/dfgk/{reply.pk}/",
        "好差评结果公开": "/hdjl/hcp/",
        "满意度调查结果": "/hdjl/wj/",
        "办件查询": "/cx/",
        "搜索结果": "/search/?q=低保",
        "搜索无结果": "/search/?q=火星移民",
        "网站地图": "/wzdt/",
        "联系我们": "/lxwm/",
        "页面不存在": "/no-such-page/",
    }


# Pages reached by submitting a form: the form's path and what to do there (errors shown, a case
# looked up).
def submit_empty(page):
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()


def look_up(case_number, code):
    def action(page):
        other = page.get_by_role("button", name="查询其他办件")
        if other.count():  # the session still shows the last case looked up
            other.click()
            page.wait_for_load_state()
        page.get_by_label("受理编号").fill(case_number)
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询", exact=True).click()
        page.wait_for_selector("[data-testid=lookup-status]")

    return action


def submitted_pages(pages: dict[str, str]) -> dict[str, tuple[str, object]]:
    from disclosure.requests.models import InformationRequest
    from portal.cases.codes import hash_query_code
    from services.models import Application

    # A demo request still in progress and a finished application, given a query code we know.
    code = hash_query_code("ABCD2345")
    unfinished = InformationRequest.objects.filter(status="submitted").first()
    finished = Application.objects.filter(status="completed").first()
    assert unfinished and finished, "the demo site lacks an unfinished request or a finished case"
    for case in (unfinished, finished):
        type(case).objects.filter(pk=case.pk).update(query_code_hash=code)
    return {
        "在线申请（有错误）": (pages["在线申请"], submit_empty),
        "我要投诉（有错误）": ("/hdjl/ts/", submit_empty),
        "依申请公开（有错误）": ("/xxgk/ysqgk/", submit_empty),
        "办件查询（办理中）": ("/cx/", look_up(unfinished.case_number, "ABCD2345")),
        "办件查询（已办结）": ("/cx/", look_up(finished.case_number, "ABCD2345")),
    }


def check_current_page(page, *, elder: bool) -> list[str]:
    problems = []
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                              && !el.closest('[data-scroll-region], .table-scroll'))
                .slice(0, 3)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
        )
        problems.append(f"scrolls sideways by {overflow}px ({', '.join(wide)})")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        WCAG_21_AA,
    )
    for violation in result:
        problems.append(
            f"axe {violation['id']}: {violation['help']} at {json.dumps(violation['nodes'])}"
        )
    if elder:
        bottom = page.evaluate(
            "() => { const n = document.querySelector('.main-nav');"
            " return n ? n.getBoundingClientRect().bottom + window.scrollY : 0 }"
        )
        if bottom > ELDER_HEADER_MAX:
            problems.append(f"elder-mode header and navigation end at {bottom:.0f}px of 844")
    return problems


def test_every_public_page_type_fits_a_phone_and_passes_axe(live_server, browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/e2e` (make test does)")
    call_command("load_demo_data", verbosity=0)
    pages = public_pages()
    submitted = submitted_pages(pages)
    # bypass_csp: axe is injected as a script tag, which the site's CSP (rightly) refuses.
    # Not is_mobile: a mobile viewport zooms out to fit wide content, hiding the overflow.
    context = browser.new_context(locale="zh-CN", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    problems = []
    try:
        for elder in (False, True):
            if elder:
                context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
            mode = "长者模式" if elder else "普通模式"
            for name, path in pages.items():
                page.goto(live_server.url + path)
                problems += [
                    f"{mode} {name} {path}: {p}" for p in check_current_page(page, elder=elder)
                ]
            for name, (path, action) in submitted.items():
                page.goto(live_server.url + path)
                action(page)
                problems += [
                    f"{mode} {name} {path}: {p}" for p in check_current_page(page, elder=elder)
                ]
            assert page.evaluate("document.documentElement.classList.contains('elder')") == elder
    finally:
        context.close()
    assert not problems, "\n".join(problems)

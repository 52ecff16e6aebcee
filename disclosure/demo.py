"""Demo data for 政府信息公开: the catalogue at /xxgk/, the sections 条例 Art. 20 requires, topics,
genres and the documents in fixtures/disclosure/documents.jsonl (imported through the same
importer as `manage.py import_disclosures`, so it is idempotent by 索引号)."""

from portal.demo import FIXTURES, ensure_child_page, load_editorial, read_fixture
from portal.models import StandardPage

from .importer import Importer
from .models import DisclosureIndexPage, Genre, Topic


def load(*, home, organisations, stdout=None) -> str:
    data = read_fixture("disclosure/catalogue.json")
    for model, rows in ((Topic, data["topics"]), (Genre, data["genres"])):
        for order, (name, slug) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    catalogue = ensure_child_page(
        home,
        "xxgk",
        DisclosureIndexPage,
        title=data["catalogue"]["title"],
        intro=data["catalogue"]["intro"],
        show_in_menus=True,
    )
    for section in data["sections"]:
        if section["kind"] == "catalogue":
            ensure_child_page(
                catalogue,
                section["slug"],
                DisclosureIndexPage,
                title=section["title"],
                intro=section["intro"],
                show_in_menus=True,
                # districts and streets submit to it, the bureau reviews (portal/org_setup.py)
                accepts_submissions=section.get("accepts_submissions", False),
            )
        else:
            page = ensure_child_page(
                catalogue,
                section["slug"],
                StandardPage,
                title=section["title"],
                intro=section["intro"],
                show_in_menus=True,
            )
            if not page.body:
                page.body = section["body"]
                page.save_revision().publish()
    load_editorial(stdout)  # the organisations' sections below /xxgk/, before their documents
    lines = (FIXTURES / "disclosure" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    result = Importer(catalogue=catalogue).run(lines)
    from . import request_demo, request_history_demo

    requests = request_demo.load(organisations=organisations, stdout=stdout, home=home)
    # The 2025 history before the 2025 report: a fresh load generates the report from it.
    history = request_history_demo.load(organisations=organisations, stdout=stdout)
    report = load_annual_report(catalogue=catalogue, bureau=organisations["000014349"])
    return (
        f"{len(lines)} documents ({result.created} new, {result.updated} updated), "
        f"{len(data['sections'])} sections; {requests}; {history}; {report}"
    )


DEMO_REPORT_YEAR = 2025
DEMO_OVERVIEW = (
    "<p>2025年，上海市民政局认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕社会救助、养老服务、婚姻登记等重点领域做好主动公开，依法办理政府信息公开申请，"
    "持续完善公开目录和政府信息公开指南。</p>"
)
DEMO_PROBLEMS = (
    "<p>存在的主要问题：部分规范性文件的解读材料发布不够及时。改进措施：建立文件与解读同步"
    "审核、同步发布机制。</p>"
)
DEMO_OTHER = "<p>本机关2025年未收取政府信息公开信息处理费。</p>"


def load_annual_report(*, catalogue, bureau) -> str:
    """/xxgk/ndbg/ with the bureau's 2025 report, generated from the demo data and published.
    Idempotent: an existing report is left as it is (its figures are a frozen snapshot)."""
    from .annual_report_actions import annual_report_generate
    from .annual_report_models import AnnualReportIndexPage, AnnualReportPage

    ensure_child_page(
        catalogue,
        "ndbg",
        AnnualReportIndexPage,
        title="政府信息公开工作年度报告",
        intro="按照《中华人民共和国政府信息公开条例》第四十九条、第五十条，"
        "每年1月31日前公布上一年度政府信息公开工作年度报告。",
        show_in_menus=True,
    )
    existing = AnnualReportPage.objects.filter(year=DEMO_REPORT_YEAR, organisation=bureau).first()
    if existing is not None and existing.live:
        return f"年度报告：{existing.title}（已存在）"
    page, _created = annual_report_generate(year=DEMO_REPORT_YEAR, organisation=bureau)
    page.overview, page.problems, page.other_matters = DEMO_OVERVIEW, DEMO_PROBLEMS, DEMO_OTHER
    page.save_revision().publish()
    return f"年度报告：{page.title}（已生成并发布）"

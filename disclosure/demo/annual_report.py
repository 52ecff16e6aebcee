"""Demo: the bureau's 2025 annual report at /xxgk/ndbg/, generated from the demo history
(request_history.py) through the real generator, and published."""

from portal.demo.site import ensure_child_page

from ..annual_report.actions import annual_report_generate
from ..annual_report.models import AnnualReportIndexPage, AnnualReportPage
from ..models import DisclosureIndexPage

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


def load(*, home, bureau, stdout=None) -> str:
    """/xxgk/ndbg/ with the bureau's 2025 report, generated from the demo data and published.
    Idempotent: an existing report is left as it is (its figures are a frozen snapshot)."""
    catalogue = DisclosureIndexPage.objects.child_of(home).get(slug="xxgk")

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

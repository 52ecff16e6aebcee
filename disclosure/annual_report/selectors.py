"""Reads for the annual report pages (a constant number of queries whatever the data volume) and
the admin's unofficial views: the running year's preview and the consolidated 汇总 of a subtree."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.editorial.sections import section_owning
from portal.organisations import subtree_ids
from portal.pages import public_q

from .figures import SCOPE_ORGAN, annual_report_figures, decimal_text
from .filters import AnnualReportFilterForm
from .models import AnnualReportPage
from .tables import report_charts, report_tables, review_groups


def annual_report_context(page, request=None) -> dict:
    """The report page: the three tables in the official layout and two SVG charts, all from the
    frozen figures and the entered fields (the organisation is the only related row read)."""
    return {
        "report_tables": report_tables(page),
        "report_charts": report_charts(page),
        "review_groups": review_groups(page),
        "fee_text": decimal_text(page.fee_amount),
        "report_scope_note": (
            _(
                "统计范围：本机关及所属单位（受理中心、内设机构等）的政府信息公开工作数据，"
                "不含单独编制年度报告的下级行政机关。"
            )
            if (page.figures or {}).get("scope") == SCOPE_ORGAN
            else ""
        ),
    }


def annual_report_index_context(index, request=None) -> dict:
    """The published reports of the index's section owner and everything below it: the bureau's
    /xxgk/ndbg/ lists every organisation's, a district's column its own and its streets'. The list
    is short (one report per organisation and year), so it is read once and the filter
    (`organisation`, `year` in the query string) narrows it in memory: the choices are exactly the
    organisations and years that have published reports."""
    section = section_owning(index)
    reports = AnnualReportPage.objects.live().filter(public_q())
    if section is None:
        reports = reports.child_of(index)
    else:
        reports = reports.filter(organisation_id__in=subtree_ids(section.organisation))
    reports = reports.select_related("organisation").order_by(
        "-year", "organisation__sort_order", "organisation__code"
    )
    reports = list(reports)
    params = request.GET if request is not None else None
    form = AnnualReportFilterForm(params or None, reports=reports)
    return {"reports": form.filter(reports), "filter_form": form, "report_count": len(reports)}


def _unsaved_report(*, year: int, organisation, consolidated: bool = False) -> AnnualReportPage:
    """Figures laid out as a report page that is never saved (the tables only need the page's
    fields): for the admin's preview and 汇总 views."""
    return AnnualReportPage(
        title=str(organisation.name),
        year=year,
        organisation=organisation,
        figures=annual_report_figures(
            year=year, organisation=organisation, consolidated=consolidated
        ),
        generated_at=timezone.now(),
    )


def annual_report_preview(*, organisation) -> AnnualReportPage:
    """The running year's figures so far for `organisation`'s statutory report (its own and its
    units' records): a preview, marked as unofficial where shown; tables 二 and 三 only."""
    return _unsaved_report(year=timezone.localdate().year, organisation=organisation)


def annual_report_consolidated(*, year: int, organisation) -> AnnualReportPage:
    """汇总: the figures of `organisation`'s whole subtree (every organ below it and their units)
    for the bureau's oversight. Not a statutory report: each organ below publishes its own, so
    these sums count their requests again; shown clearly labelled, never saved or published."""
    return _unsaved_report(year=year, organisation=organisation, consolidated=True)

"""Reads for the annual report pages: a constant number of queries whatever the data volume."""

from portal.editorial.sections import section_owning
from portal.organisations import subtree_ids
from portal.pages import public_q

from .figures import decimal_text
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

"""明察暗访结果公开 (/hdjl/mcaf/): a year's visits per district and month — visits, reports with
findings, rectified, rectified on time — and the summaries a reviewer approved. No supervisor,
no photo, no findings as written, no personal data."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.frontcache.policy import public_cache

from .models import rectification_days
from .selectors import summary_years, supervision_summary


def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0]
    return year


@public_cache
@require_http_methods(["GET", "HEAD"])
def supervision_results(request):
    """Three queries: the years, the counts, the approved summaries."""
    years = sorted({*summary_years(), timezone.localdate().year}, reverse=True)
    year = _year(request, years)
    summary = supervision_summary(year=year)
    return render(
        request,
        "services/supervision/results.html",
        {"year": year, "years": years, "summary": summary, "days": rectification_days()},
    )

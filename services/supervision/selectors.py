"""Reads of 明察暗访: a supervisor's own reports (a reviewer's: all), one report, and the published
summary of /hdjl/mcaf/ — counts per district and month by SQL aggregation, plus the summaries a
reviewer approved. Nothing here returns a supervisor, a photo or personal data to the public."""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth

from .models import RectificationStatus, SupervisionVisit
from .setup import is_supervision_reviewer

PAGE_SIZE = 30


def _visible(user):
    qs = SupervisionVisit.objects.all()
    if is_supervision_reviewer(user):
        return qs
    return qs.filter(supervisor=user)


def visit_report_page(*, user, page=1):
    """The reports `user` may see (their own; a reviewer every report), newest first, one page:
    two queries (count, page with centre and case) whatever the number of reports."""
    qs = (
        _visible(user)
        .select_related("centre", "organisation", "rectification")
        .order_by("-visit_date", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def visit_report_detail(*, user, pk: int) -> SupervisionVisit | None:
    """One report if `user` may see it (else None, as if it did not exist): two queries."""
    return (
        _visible(user)
        .select_related("centre", "organisation", "rectification", "summary_approved_by")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )


def visit_photo(*, user, visit_id: int, photo_id: int):
    visit = _visible(user).filter(pk=visit_id).first()
    if visit is None:
        return None
    return visit.photos.filter(pk=photo_id).first()


@dataclass
class SummaryRow:
    district: str
    month: int
    visits: int = 0
    with_findings: int = 0
    rectified: int = 0
    on_time: int = 0


@dataclass
class Summary:
    year: int
    rows: list[SummaryRow] = field(default_factory=list)
    totals: SummaryRow | None = None
    by_district: list[SummaryRow] = field(default_factory=list)
    published: list[dict] = field(default_factory=list)


def supervision_summary(*, year: int) -> Summary:
    """The published outcome of a year's visits (by visit date), per district and month: visits,
    reports with findings, rectified, rectified by their deadline; the districts' totals; and the
    public summaries a reviewer approved (day, district, centre, the approved text — never the
    findings as written). Two queries, whatever the number of reports."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rectified = Q(rectification__status=RectificationStatus.RECTIFIED)
    grouped = (
        SupervisionVisit.objects.filter(visit_date__gte=start, visit_date__lt=end)
        .annotate(month=ExtractMonth("visit_date"))
        .values("district", "month")
        .annotate(
            visits=Count("pk"),
            with_findings=Count("pk", filter=Q(has_findings=True)),
            rectified=Count("pk", filter=rectified),
            on_time=Count(
                "pk",
                filter=rectified & Q(rectification__rectified_on__lte=F("rectification__due_date")),
            ),
        )
        .order_by("district", "month")
    )
    summary = Summary(year=year)
    districts: dict[str, SummaryRow] = {}
    totals = SummaryRow(district="", month=0)
    for row in grouped:
        item = SummaryRow(**row)
        summary.rows.append(item)
        agg = districts.setdefault(item.district, SummaryRow(district=item.district, month=0))
        for key in ("visits", "with_findings", "rectified", "on_time"):
            setattr(agg, key, getattr(agg, key) + getattr(item, key))
            setattr(totals, key, getattr(totals, key) + getattr(item, key))
    summary.by_district = list(districts.values())
    summary.totals = totals
    summary.published = list(
        SupervisionVisit.objects.filter(
            visit_date__gte=start,
            visit_date__lt=end,
            summary_approved_at__isnull=False,
        )
        .exclude(public_summary="")
        .order_by("-visit_date", "-pk")
        .values("visit_date", "district", "centre__title", "public_summary")
    )
    return summary


def summary_years() -> list[int]:
    """The years with visits, newest first (one query)."""
    return sorted(
        {d.year for d in SupervisionVisit.objects.dates("visit_date", "year")}, reverse=True
    )

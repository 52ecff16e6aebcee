"""Reads for the 办事服务 pages and API. Every listing costs a fixed number of queries, whatever its
length: relations are fetched with select_related / prefetch_related, never per row."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from portal.organisations import Organisation
from portal.pages import public_q
from portal.workdays import WorkdayCalendarError, get_calendar

from .filters import ServiceCentreFilter, ServiceGuideFilter
from .models import (
    Application,
    ApplicationStatus,
    FeeItem,
    FeeStandardPage,
    ItemType,
    ServiceCentreIndexPage,
    ServiceCentrePage,
    ServiceCommitment,
    ServiceCommitmentPage,
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceMaterial,
    ServiceTopic,
)

logger = logging.getLogger(__name__)

GUIDES_PER_PAGE = 20


def live_guides(*, within: Page | None = None) -> QuerySet[ServiceGuidePage]:
    """Published, public guides with what a listing row shows (organisation, fee items)."""
    qs = ServiceGuidePage.objects.live().filter(public_q())
    if within is not None:
        qs = qs.descendant_of(within)
    return (
        qs.select_related("organisation")
        .prefetch_related(
            Prefetch("fee_items", queryset=FeeItem.objects.order_by("page_id", "sort_order"))
        )
        .order_by("path")
    )


def filter_guides(params, *, within: Page | None = None) -> ServiceGuideFilter:
    """The guide filter bound to `params`; `.qs` is the filtered queryset, `.errors` what was wrong."""
    return ServiceGuideFilter(params, queryset=live_guides(within=within))


def service_index_context(index: Page, params) -> dict:
    """The guide list (filtered, paginated, 20 a page), the organisations that have guides and the
    sections below (titles and links only). Five queries (count, page of guides, their fee items,
    organisations, sections), whatever the number of guides."""
    filterset = filter_guides(params, within=index)
    valid = filterset.is_valid()
    guides = filterset.qs if valid else ServiceGuidePage.objects.none()
    paginator = Paginator(guides, GUIDES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    guide_orgs = Organisation.objects.filter(
        pk__in=ServiceGuidePage.objects.live().descendant_of(index).values("organisation_id")
    ).order_by("sort_order", "code")
    sections = list(
        index.get_children()
        .live()
        .filter(public_q())
        .not_type(ServiceGuidePage, ServiceCentrePage)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    query = params.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "filter_errors": filterset.errors if not valid else {},
        "guides": page_obj,
        "paginator": paginator,
        "topics": ServiceTopic.choices,
        "item_types": ItemType.choices,
        "organisations": guide_orgs,
        "sections": sections,
        "query_string": query.urlencode(),
        "is_filtered": any(params.get(k) for k in ("topic", "organisation", "type", "online", "q")),
    }


@dataclass
class FormRow:
    guide: ServiceGuidePage
    material: ServiceMaterial


def form_download_rows(index: Page) -> list[FormRow]:
    """Every material with a blank form or a filled sample, across the live guides under `index`."""
    guide_ids = ServiceGuidePage.objects.live().filter(public_q()).descendant_of(index).values("pk")
    materials = (
        ServiceMaterial.objects.filter(page_id__in=guide_ids)
        .filter(Q(blank_form__isnull=False) | Q(sample__isnull=False))
        .select_related("page", "blank_form", "sample")
        .order_by("page__path", "sort_order")
    )
    return [FormRow(guide=m.page, material=m) for m in materials]


def guide_detail_context(guide: ServiceGuidePage, request=None) -> dict:
    """A guide's legal bases, materials (with their forms), steps, fee items, centres and pledges,
    and its schema.org GovernmentService: six queries, whatever their number."""
    from .structured_data import guide_service_jsonld

    context = {
        "legal_bases": list(guide.legal_bases.all()),
        "materials": list(
            guide.materials.select_related("blank_form", "sample").order_by("sort_order")
        ),
        "steps": list(guide.steps.all()),
        "fee_items": list(
            guide.fee_items.select_related("page").order_by("page__path", "sort_order")
        ),
        "centres": list(
            guide.centres.live().filter(public_q()).order_by("district", "path") if guide.pk else []
        ),
        "commitments": list(
            ServiceCommitment.objects.filter(service_item=guide, page__live=True).select_related(
                "page"
            )
        )
        if guide.pk
        else [],
        # 预约办理: whether some centre takes bookings for it (one query)
        "bookable": bool(guide.pk)
        and guide.bookable_services.filter(is_active=True, centre__live=True).exists(),
    }
    context["structured_data"] = guide_service_jsonld(
        guide, request, centres=context["centres"], fee_items=context["fee_items"]
    )
    return context


def fee_standard_context(page: FeeStandardPage, request=None) -> dict:
    """The fee items with the live guides that charge them: two queries."""
    items = list(
        page.items.prefetch_related(
            Prefetch(
                "guides",
                queryset=ServiceGuidePage.objects.live().filter(public_q()).order_by("path"),
                to_attr="live_guides",
            )
        ).order_by("sort_order")
    )
    return {"fee_items": items}


COMPLIANCE_WINDOW = timedelta(days=365)  # the last 12 months of completed applications


@dataclass
class Compliance:
    """Measured compliance of one pledge over the last 12 months: completed applications of the
    service item, how many finished within the promised working days, and their average."""

    finished: int
    on_time: int
    total_days: int = 0

    @property
    def rate(self) -> float | None:
        return None if not self.finished else self.on_time / self.finished

    @property
    def percent(self) -> str:
        """e.g. "66.7%"; "" when nothing was finished."""
        return "" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def average_days(self) -> str:
        """The mean of the working days taken, one decimal (e.g. "3.5"); "" when none."""
        return "" if not self.finished else f"{self.total_days / self.finished:.1f}"


@dataclass
class CommitmentRow:
    commitment: ServiceCommitment
    # Measured from completed applications; None = not measurable (general pledge, or the
    # working-day calendar lacks a year the durations reach).
    compliance: Compliance | None = None


def licence_decision_count(*, year: int, organisation_ids: set[int] | None) -> int:
    """行政许可 decisions of `year`: completed applications (准予 or 不予) for service items of the
    type 行政许可, closed in the year (local time). One query."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz)
    qs = Application.objects.filter(
        service__item_type=ItemType.LICENCE,
        status=ApplicationStatus.COMPLETED,
        closed_at__gte=start,
        closed_at__lt=end,
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.count()


def application_durations(service_ids: set[int], *, since, calendar) -> dict[int, list[int]]:
    """Working days each completed application took, per service item (one query): from the day
    its clock started (receipt, or the day a correction arrived) to the day it was completed,
    counted like the deadline engine (working days after the start, up to and including the
    completion day), less days excluded from the clock."""
    rows = list(
        Application.objects.filter(
            service_id__in=service_ids,
            status=ApplicationStatus.COMPLETED,
            closed_at__gte=since,
            clock_start__isnull=False,
        ).values_list("service_id", "clock_start", "closed_at", "excluded_days")
    )
    if not rows:
        return {}
    closed = [(sid, start, timezone.localdate(at), excl) for sid, start, at, excl in rows]
    first = min(start for _sid, start, _end, _excl in closed)
    last = max(end for _sid, _start, end, _excl in closed)
    # working days in (first, day] for every day of the span: each duration is then a difference
    prefix: dict = {first: 0}
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
        prefix[day] = count
    durations: dict[int, list[int]] = {}
    for sid, start, end, excluded in closed:
        taken = prefix[end] - prefix[start] if end >= start else 0
        durations.setdefault(sid, []).append(max(0, taken - excluded))
    return durations


def commitment_rows(page: ServiceCommitmentPage) -> list[CommitmentRow]:
    """The page's pledges, each measured against the last 12 months of completed applications
    of its service item. Two queries (three when the working-day calendar is not cached),
    whatever the number of pledges and applications."""
    commitments = list(
        page.commitments.select_related("service_item", "service_item__organisation").order_by(
            "sort_order"
        )
    )
    rows = [CommitmentRow(commitment=c) for c in commitments]
    measured = [
        r
        for r in rows
        if r.commitment.service_item_id and r.commitment.promised_limit_days is not None
    ]
    if not measured:
        return rows
    try:
        durations = application_durations(
            {r.commitment.service_item_id for r in measured},
            since=timezone.now() - COMPLIANCE_WINDOW,
            calendar=get_calendar(),
        )
    except WorkdayCalendarError:
        logger.error("Commitment compliance not measured: the working-day calendar lacks a year")
        return rows
    for row in measured:
        taken = durations.get(row.commitment.service_item_id, [])
        promised = row.commitment.promised_limit_days
        row.compliance = Compliance(
            finished=len(taken),
            on_time=sum(1 for days in taken if days <= promised),
            total_days=sum(taken),
        )
    return rows


def commitment_context(page: ServiceCommitmentPage, request=None) -> dict:
    return {"rows": commitment_rows(page)}


def live_centres(*, within: Page | None = None) -> QuerySet[ServiceCentrePage]:
    qs = ServiceCentrePage.objects.live().filter(public_q())
    if within is not None:
        qs = qs.descendant_of(within)
    return qs.annotate(
        item_count=Count(
            "service_items",
            filter=Q(service_items__live=True),
            distinct=True,
        )
    ).order_by("district", "path")


def centre_index_context(index: ServiceCentreIndexPage, request) -> dict:
    """The centres, filtered by `request.GET` (district, item). Centres live in this list or in
    their organisations' sections of the same 办事服务 area. Four queries (centres with their item
    counts, districts, the area, the item list), whatever the number of centres."""
    area = index.get_parent()
    filterset = ServiceCentreFilter(request.GET, queryset=live_centres(within=area))
    valid = filterset.is_valid()
    districts = list(
        ServiceCentrePage.objects.live()
        .descendant_of(area)
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )
    items = (
        ServiceGuidePage.objects.live().filter(public_q()).filter(centres__isnull=False).distinct()
    )
    return {
        "filter": filterset,
        "filter_errors": filterset.errors if not valid else {},
        "centres": list(filterset.qs) if valid else [],
        "districts": districts,
        "service_items": list(items.order_by("path").only("id", "title", "code")),
    }


def centre_district(centre: ServiceCentrePage) -> Organisation | None:
    """The district (区民政局) the centre belongs to, by its organisation or its 所在区: one query."""
    from portal.organisations import OrganisationKind

    by_tree = Q()
    if centre.organisation_id:
        by_tree = (
            Q(pk=centre.organisation_id)
            | Q(children=centre.organisation_id)
            | Q(children__children=centre.organisation_id)
        )
    return (
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT, live=True, is_active=True)
        .filter(by_tree | Q(district=centre.district, district__gt="") | Q(name=centre.district))
        .order_by("sort_order", "code")
        .first()
    )


def centre_detail_context(centre: ServiceCentrePage, request=None) -> dict:
    """The centre's live items with their organisations, whether it takes bookings (预约办理), and
    for the booklets its district and the 办事服务 index above it: four queries."""
    index = (
        ServiceIndexPage.objects.ancestor_of(centre).live().order_by("depth").first()
        if centre.pk
        else None
    )
    return {
        "bookable": bool(centre.pk)
        and centre.bookable_services.filter(is_active=True, guide__live=True).exists(),
        "booklet_district": centre_district(centre) if centre.pk else None,
        "booklet_index": index,
        "service_items": list(
            centre.service_items.live()
            .filter(public_q())
            .select_related("organisation")
            .order_by("topic", "path")
        )
        if centre.pk
        else [],
    }


def service_item_by_code(code: str) -> ServiceGuidePage | None:
    """One live, public guide with everything the detail API shows, in a fixed number of queries."""
    return (
        ServiceGuidePage.objects.live()
        .filter(public_q())
        .filter(code=code)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=ServiceMaterial.objects.select_related("blank_form", "sample").order_by(
                    "sort_order"
                ),
            ),
            "form_fields",
            "steps",
            "legal_bases",
            Prefetch("fee_items", queryset=FeeItem.objects.order_by("page_id", "sort_order")),
            Prefetch(
                "centres",
                queryset=ServiceCentrePage.objects.live()
                .filter(public_q())
                .order_by("district", "path"),
            ),
        )
        .first()
    )

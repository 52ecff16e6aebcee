"""Reads for the booklet and the card: each guide as a plain `GuideSheet` with everything the
printed page shows. A booklet's guides cost a fixed number of queries (the scope, the guides with
their organisations, materials, fee items and centres), whatever their number."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.organisations import Organisation, OrganisationKind
from portal.pages import public_q

from ..models import (
    FeeItem,
    ServiceCentrePage,
    ServiceGuidePage,
    ServiceMaterial,
    ServiceTopic,
)


@dataclass
class MaterialLine:
    name: str
    kind: str
    copies: int
    required: bool
    notes: str


@dataclass
class PlaceLine:
    name: str
    address: str
    hours: str
    phone: str


@dataclass
class GuideSheet:
    """One guide as printed: plain strings only (the PDF code needs no model)."""

    pk: int
    title: str
    code: str
    url: str
    organisation: str
    summary: str
    topic: str
    case_type: str
    conditions: str
    statutory_limit: str
    promised_limit: str
    visits: int
    fee: str
    fee_lines: list[str]
    consult_phone: str
    complaint_phone: str
    materials: list[MaterialLine] = field(default_factory=list)
    places: list[PlaceLine] = field(default_factory=list)
    updated_at: datetime | None = None


@dataclass
class BookletScope:
    """What a booklet collects: kind (centre, district, topic), its key and its title."""

    kind: str
    key: str
    title: str
    within: Page | None = None
    centre: ServiceCentrePage | None = None
    district: Organisation | None = None


def rich_text_lines(html: str) -> str:
    """Rich text as plain lines for print: block ends become line breaks, tags go, entities are
    decoded."""
    import html as html_lib

    text = normalize_newlines(html or "")
    for tag in ("</p>", "</li>", "<br>", "<br/>", "<br />", "</h2>", "</h3>", "</h4>"):
        text = text.replace(tag, tag + "\n")
    text = text.replace("<li>", "<li>• ")
    text = html_lib.unescape(strip_tags(text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _limit(days: int) -> str:
    return _("当场办结") if not days else _("%(days)s个工作日") % {"days": days}


def sheet_queryset(qs: QuerySet[ServiceGuidePage]) -> QuerySet[ServiceGuidePage]:
    """Guides with every relation a sheet prints, prefetched (four queries for any number)."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch(
            "materials",
            queryset=ServiceMaterial.objects.order_by("sort_order"),
        ),
        Prefetch("fee_items", queryset=FeeItem.objects.order_by("page_id", "sort_order")),
        Prefetch(
            "centres",
            queryset=ServiceCentrePage.objects.live()
            .filter(public_q())
            .order_by("district", "path")
            .only("id", "title", "address", "hours", "phone", "district", "path"),
            to_attr="live_centres",
        ),
    )


def guide_sheet(guide: ServiceGuidePage) -> GuideSheet:
    """The sheet of a guide fetched through `sheet_queryset` (no query of its own)."""
    organisation = guide.organisation
    fee_items = list(guide.fee_items.all())
    places = [
        PlaceLine(name=c.title, address=c.address, hours=c.hours, phone=c.phone)
        for c in getattr(guide, "live_centres", [])
    ]
    if guide.venue:
        places.insert(
            0, PlaceLine(name=guide.venue, address="", hours=guide.office_hours, phone="")
        )
    return GuideSheet(
        pk=guide.pk,
        title=guide.title,
        code=guide.code,
        url=guide.get_url() or "",
        organisation=organisation.name,
        summary=guide.summary,
        topic=guide.get_topic_display(),
        case_type=guide.get_case_type_display(),
        conditions=rich_text_lines(guide.acceptance_conditions),
        statutory_limit=_limit(guide.statutory_limit_days),
        promised_limit=_limit(guide.promised_limit_days),
        visits=guide.visits_required,
        fee=_("不收费") if guide.is_free else _("收费"),
        fee_lines=[
            _("%(name)s：%(amount)s元/%(unit)s")
            % {"name": i.name, "amount": i.amount, "unit": i.unit}
            for i in fee_items
        ]
        + ([guide.fee_note] if guide.fee_note else []),
        consult_phone=guide.consult_phone or organisation.phone,
        complaint_phone=guide.complaint_phone or organisation.complaint_phone,
        materials=[
            MaterialLine(
                name=m.name,
                kind=m.get_kind_display(),
                copies=m.copies,
                required=m.required,
                notes=m.notes,
            )
            for m in guide.materials.all()
        ],
        places=places,
        updated_at=guide.last_published_at,
    )


def live_public_guides() -> QuerySet[ServiceGuidePage]:
    return ServiceGuidePage.objects.live().filter(public_q())


def card_guide(url_path: str) -> ServiceGuidePage | None:
    """The live, public guide at `url_path` with what its card prints (four queries)."""
    return sheet_queryset(live_public_guides().filter(url_path=url_path)).first()


def centre_by_path(url_path: str) -> ServiceCentrePage | None:
    return ServiceCentrePage.objects.live().filter(public_q()).filter(url_path=url_path).first()


def district_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(
        code=code, kind=OrganisationKind.DISTRICT, live=True, is_active=True
    ).first()


def topic_label(topic: str) -> str | None:
    return dict(ServiceTopic.choices).get(topic)


def _district_q(district: Organisation) -> Q:
    """Guides a district's people go to the district for: implemented by the district or a body
    below it (streets, their centres; the tree is at most three levels deep below a district), or
    handled at one of the district's centres."""
    below = (
        Q(organisation=district)
        | Q(organisation__parent=district)
        | Q(organisation__parent__parent=district)
    )
    centres = ServiceCentrePage.objects.live().filter(
        Q(district=district.district or district.name)
        | Q(organisation=district)
        | Q(organisation__parent=district)
        | Q(organisation__parent__parent=district)
    )
    handled = ServiceCentrePage.service_items.through.objects.filter(
        servicecentrepage__in=centres
    ).values("serviceguidepage")
    return below | Q(pk__in=handled)


def scope_guides(scope: BookletScope) -> QuerySet[ServiceGuidePage]:
    """The live, public guides a booklet collects, in print order (by topic, then tree order)."""
    qs = live_public_guides()
    if scope.within is not None:
        qs = qs.descendant_of(scope.within)
    if scope.kind == "centre":
        qs = qs.filter(centres=scope.centre)
    elif scope.kind == "district":
        qs = qs.filter(_district_q(scope.district))
    else:
        qs = qs.filter(topic=scope.key)
    return qs.order_by("topic", "path").distinct()


def booklet_size(scope: BookletScope) -> int:
    """How many guides the booklet holds (one query)."""
    return scope_guides(scope).count()


def booklet_sheets(scope: BookletScope) -> list[GuideSheet]:
    """Every sheet of the booklet: four queries, whatever the number of guides."""
    return [guide_sheet(g) for g in sheet_queryset(scope_guides(scope))]


def data_date(sheets: list[GuideSheet]) -> datetime | None:
    """The date of the data: the latest publication among the sheets."""
    dates = [s.updated_at for s in sheets if s.updated_at]
    return max(dates) if dates else None


def latest_change(scope: BookletScope) -> datetime | None:
    """The latest publication among the booklet's guides (one query)."""
    return scope_guides(scope).order_by().aggregate(latest=Max("last_published_at"))["latest"]


def resolve_scope(*, kind: str, key: str, within_id: int | None) -> BookletScope | None:
    """The booklet named by (kind, key) inside the 办事服务 index `within_id`; None when there is
    no such live centre, district or topic (one or two queries)."""
    within = None
    if within_id is not None:
        within = Page.objects.live().filter(public_q(), pk=within_id).first()
        if within is None:
            return None
    if kind == "centre":
        centre = ServiceCentrePage.objects.live().filter(public_q(), pk=key).first()
        if centre is None:
            return None
        return BookletScope(kind=kind, key=key, title=centre.title, within=within, centre=centre)
    if kind == "district":
        district = district_by_code(key)
        if district is None:
            return None
        return BookletScope(
            kind=kind, key=key, title=district.name, within=within, district=district
        )
    if kind == "topic" and topic_label(key):
        return BookletScope(kind=kind, key=key, title=topic_label(key), within=within)
    return None


def service_index_by_path(url_path: str) -> Page | None:
    from ..models import ServiceIndexPage

    return ServiceIndexPage.objects.live().filter(public_q()).filter(url_path=url_path).first()

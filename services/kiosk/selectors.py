"""Reads for the kiosk pages. Each costs a fixed number of queries, whatever the number of guides
or centres (stated per function)."""

import base64
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from portal.pages import public_q

from ..applications.receipt import qr_png
from ..models import ServiceCentrePage, ServiceGuidePage, ServiceTopic
from ..selectors import live_centres, live_guides


@dataclass(frozen=True)
class TopicTile:
    value: str
    label: str
    count: int


def qr_data_uri(url: str) -> str:
    """The QR code of `url` (the receipts' generator) as a data: URI for an <img> (CSP allows it)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


def kiosk_centre(code: str) -> ServiceCentrePage:
    """The live centre a kiosk is configured for: by its organisation's code, else its slug.
    One query; Http404 when there is none."""
    centre = (
        ServiceCentrePage.objects.live()
        .filter(public_q())
        .filter(organisation__code=code)
        .select_related("organisation")
        .first()
    )
    if centre is None:
        centre = (
            ServiceCentrePage.objects.live()
            .filter(public_q(), slug=code)
            .select_related("organisation")
            .first()
        )
    if centre is None:
        raise Http404("没有这个受理中心。")
    return centre


def centre_code(centre: ServiceCentrePage) -> str:
    return centre.organisation.code if centre.organisation_id else centre.slug


def _guides(centre: ServiceCentrePage | None):
    qs = ServiceGuidePage.objects.live().filter(public_q())
    if centre is not None:
        qs = qs.filter(centres=centre)
    return qs


def topic_tiles(*, centre: ServiceCentrePage | None = None) -> list[TopicTile]:
    """The topics that have live guides (at the centre, if one), with their counts: one query."""
    counts = dict(
        _guides(centre).order_by().values_list("topic").annotate(n=Count("id", distinct=True))
    )
    return [
        TopicTile(value=value, label=str(label), count=counts[value])
        for value, label in ServiceTopic.choices
        if counts.get(value)
    ]


def topic_label(topic: str) -> str:
    if topic not in ServiceTopic.values:
        raise Http404("没有这个主题。")
    return str(ServiceTopic(topic).label)


def guides_for(
    *, topic: str | None = None, centre: ServiceCentrePage | None = None
) -> list[ServiceGuidePage]:
    """Live guides of a topic and/or a centre, with their organisations and fee items: two
    queries."""
    qs = live_guides()
    if centre is not None:
        qs = qs.filter(centres=centre)
    if topic:
        qs = qs.filter(topic=topic)
    return list(qs.distinct())


def centre_tiles() -> list[ServiceCentrePage]:
    """Every live centre with its number of items, by district: one query."""
    return list(live_centres().select_related("organisation"))


def kiosk_guide(guide_id: int) -> dict:
    """One live guide with what the screen shows (materials, limits, fees, places, phones):
    five queries; Http404 for a guide that is not live and public."""
    guide = (
        ServiceGuidePage.objects.live()
        .filter(public_q(), pk=guide_id)
        .select_related("organisation")
        .first()
    )
    if guide is None:
        raise Http404("没有这个事项。")
    return {
        "guide": guide,
        "materials": list(guide.materials.order_by("sort_order")),
        "steps": list(guide.steps.all()),
        "fee_items": list(guide.fee_items.order_by("page__path", "sort_order")),
        "centres": list(guide.centres.live().filter(public_q()).order_by("district", "path")),
    }

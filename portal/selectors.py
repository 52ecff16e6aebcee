"""Reads for portal pages. Each returns with a fixed number of queries."""

from wagtail.models import Page

from .organisations import Organisation


def home_page_context(home) -> dict:
    sections = list(home.get_children().live().in_menu().specific().order_by("path"))
    latest = list(
        Page.objects.live()
        .public()
        .descendant_of(home)
        .filter(depth__gte=home.depth + 2)
        .exclude(first_published_at=None)
        .order_by("-first_published_at")
        .only("id", "title", "url_path", "first_published_at", "path", "depth")[:8]
    )
    return {"sections": sections, "latest_pages": latest}


def organisation_list(*, kind: str | None = None, parent_code: str | None = None):
    qs = Organisation.objects.filter(is_active=True).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("sort_order", "code")

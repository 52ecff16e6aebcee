"""Reads for portal pages. Each returns with a fixed number of queries."""

from .organisations import Organisation


def home_page_context(home) -> dict:
    """The home page's sections and its 最新公开: the latest disclosed documents by 发布日期."""
    from disclosure.selectors import document_queryset

    sections = list(home.get_children().live().in_menu().specific().order_by("path"))
    latest = list(
        document_queryset(within=home)
        .select_related(None)
        .order_by("-published_date", "-pk")
        .only("id", "title", "url_path", "published_date", "path", "depth")[:8]
    )
    return {"sections": sections, "latest_pages": latest}


def organisation_list(*, kind: str | None = None, parent_code: str | None = None):
    qs = Organisation.objects.filter(is_active=True, live=True).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("sort_order", "code")

"""Reads for portal pages. Each returns with a fixed number of queries."""

from .organisations import Organisation
from .registry import Slot

# The home page's 最新公开: (within=<home page>, limit=n) → the latest disclosed documents, newest
# first. Filled by the disclosure app.
latest_documents = Slot("latest_documents", default=lambda *, within, limit: [])

LATEST_ON_HOME = 8


def home_page_context(home, request=None) -> dict:
    """The home page's sections and its 最新公开: the latest disclosed documents by 发布日期.
    Two queries plus one per page type among the sections (their intros), whatever the number
    of documents."""
    sections = list(home.get_children().live().in_menu().specific().order_by("path"))
    return {
        "sections": sections,
        "latest_pages": list(latest_documents(within=home, limit=LATEST_ON_HOME)),
    }


def organisation_list(*, kind: str | None = None, parent_code: str | None = None):
    qs = Organisation.objects.filter(is_active=True, live=True).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("sort_order", "code")

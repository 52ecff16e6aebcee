"""Reads for the catalogue pages, the feed and the API. Each runs a fixed number of queries
whatever the number of documents."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal.pages import public_q

from .filters import DisclosureFilter
from .models import DisclosureDocumentPage

FILTER_KEYS = ("topic", "genre", "organisation", "year", "validity", "q", "sort")


def document_queryset(*, within=None):
    qs = DisclosureDocumentPage.objects.live().filter(public_q())
    if within is not None:
        qs = qs.descendant_of(within)
    return qs.select_related("topic", "genre", "issuing_organisation")


def latest_documents(*, within, limit: int) -> list[DisclosureDocumentPage]:
    """The latest published documents below `within` by 发布日期 (the home page's 最新公开): only
    what a list entry shows. One query."""
    return list(
        document_queryset(within=within)
        .select_related(None)
        .order_by("-published_date", "-pk")
        .only("id", "title", "url_path", "published_date", "path", "depth")[:limit]
    )


def filtered_documents(*, data: QueryDict | dict | None, within=None):
    """(filterset, ordered queryset). Invalid filters are reported on `filterset.errors` and
    ignored; the valid ones still apply."""
    filterset = DisclosureFilter(data or None, queryset=document_queryset(within=within))
    if filterset.is_bound:
        filterset.is_valid()
        qs = filterset.filter_queryset(filterset.queryset)
    else:
        qs = filterset.queryset
    return filterset, qs.order_by(filterset.ordering, "-pk")


def _clean_query(data: QueryDict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        value = (data.get(key) or "").strip()
        if value:
            query[key] = value
    return query


def active_filters(filterset, query: QueryDict) -> list[dict]:
    """Each applied filter with a label, a display value and the URL query that removes it."""
    if not filterset.is_bound:
        return []
    cleaned = filterset.form.cleaned_data
    shown = []
    for key in FILTER_KEYS:
        if key == "sort" or key not in query or key in filterset.errors:
            continue
        value = cleaned.get(key)
        if value in (None, ""):
            continue
        if key == "validity":
            display = dict(filterset.filters["validity"].extra["choices"]).get(value, value)
        elif key == "year":
            display = _("%(year)d年") % {"year": int(value)}
        else:
            display = str(value)
        rest = query.copy()
        del rest[key]
        shown.append(
            {
                "key": key,
                "label": filterset.filters[key].label,
                "value": display,
                "remove_query": rest.urlencode(),
            }
        )
    return shown


def catalogue_context(page, request) -> dict:
    """The catalogue page: filters (topic, genre and organisation lists read once each), one
    page of documents with their terms, the count, the sections below. Seven queries, whatever
    the number of documents."""
    query = _clean_query(request.GET)
    filterset, qs = filtered_documents(data=query, within=page)
    paginator = Paginator(qs, page.per_page or 20)
    page_obj = paginator.get_page(request.GET.get("page"))
    feed_query = query.copy()
    feed_query.pop("sort", None)
    return {
        "filter": filterset,
        "documents": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": paginator,
        "active_filters": active_filters(filterset, query),
        "filter_query": query.urlencode(),
        "feed_query": feed_query.urlencode(),
        "sections": list(
            page.get_children().live().in_menu().only("id", "title", "url_path", "path", "depth")
        ),
    }


def document_context(document: DisclosureDocumentPage, request=None) -> dict:
    """A document's attachments, the documents it replaces and the one replacing it: two queries
    (three with a replacement), whatever their number. Its terms and 发布机构 come with the page
    (`route_select_related`)."""
    replaces = list(
        DisclosureDocumentPage.objects.live()
        .filter(replaced_by=document)
        .only("id", "title", "url_path", "path", "depth", "document_number")
    )
    replaced_by = None
    if document.replaced_by_id:
        replaced_by = (
            DisclosureDocumentPage.objects.live()
            .filter(pk=document.replaced_by_id)
            .only("id", "title", "url_path", "path", "depth", "document_number")
            .first()
        )
    return {
        "attachments": list(document.attachments.select_related("document")),
        "replaced_by": replaced_by,
        "replaces": replaces,
    }

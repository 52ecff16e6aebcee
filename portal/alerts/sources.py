"""What a subscription can follow. A source turns a query string into the subscription's params (or
refuses it with Chinese errors), describes the pages of a batch of changes in a fixed number of
queries, and says — in Python, without queries — whether a change matches one subscription's
params. The portal provides `search` (the site search) and `page` (one page); an app registers its
catalogue's filters in its `AppConfig.ready()` (disclosure: `xxgk`), never imported from here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from portal.errors import PortalError


class AlertSourceError(PortalError):
    status = 422


@dataclass(frozen=True)
class AlertSource:
    name: str
    label: str
    # query string (a dict of str) → (params to store, a Chinese description of what is followed)
    clean: Callable[[dict], tuple[dict, str]]
    # page ids → {page id: what `matches` needs} for the pages this source knows (fixed queries)
    describe: Callable[[list[int]], dict[int, Any]]
    # (params, the description of one page) → does the change concern the subscription?
    matches: Callable[[dict, Any], bool]
    # params → the public URL that shows what is followed
    url: Callable[[dict], str]


_sources: dict[str, AlertSource] = {}


def register_source(source: AlertSource) -> AlertSource:
    _sources[source.name] = source
    return source


def get_source(name: str) -> AlertSource:
    try:
        return _sources[name]
    except KeyError:
        raise AlertSourceError(_("不支持订阅该内容。")) from None


def all_sources() -> Iterable[AlertSource]:
    return list(_sources.values())


# -- the portal's own sources ---------------------------------------------------------------------


def terms_match(terms: list[list[str]], text: str) -> bool:
    """Every term (given as its variants) occurs in `text`, in any of its forms."""
    lowered = text.lower()
    return all(any(v.lower() in lowered for v in variants) for variants in terms)


def query_terms(q: str) -> list[list[str]]:
    """The words of a query with their synonyms, as the site search expands them."""
    from portal.search import get_segmenter

    segmenter = get_segmenter()
    terms = []
    for term in segmenter.query_terms(q):
        variants = segmenter.variants(term) if hasattr(segmenter, "variants") else [term]
        terms.append(list(variants) or [term])
    return terms


def _clean_search(data: dict) -> tuple[dict, str]:
    q = " ".join((data.get("q") or "").split())[:50]
    if not q or not query_terms(q):
        raise AlertSourceError(_("请输入要订阅的搜索关键词。"), {"q": [_("此项为必填项。")]})
    return {"q": q}, _("站内搜索“%(q)s”的新结果") % {"q": q}


def _describe_pages(page_ids: list[int]) -> dict[int, str]:
    """Each live, public page's searchable text (title, description and its indexed fields): one
    query for the pages plus one per page type."""
    from wagtail.models import Page

    from portal.search import _flatten

    texts = {}
    pages = Page.objects.live().public().filter(pk__in=page_ids).specific()
    for page in pages:
        parts = [page.title, page.search_description or ""]
        for field in page.get_search_fields():
            if getattr(field, "field_name", "") in ("title", "search_segments"):
                continue
            if hasattr(field, "get_value") and type(field).__name__ == "SearchField":
                try:
                    parts += _flatten(field.get_value(page))
                except Exception:  # noqa: S112 - a field that cannot render is not searchable text
                    continue
        texts[page.pk] = " ".join(parts)
    return texts


def _match_search(params: dict, text: str) -> bool:
    return terms_match(query_terms(params["q"]), text)


def _search_url(params: dict) -> str:
    from urllib.parse import urlencode

    return "/search/?" + urlencode({"q": params["q"]})


def _clean_page(data: dict) -> tuple[dict, str]:
    from wagtail.models import Page

    raw = str(data.get("page") or "")
    page = Page.objects.live().public().filter(pk=int(raw)).first() if raw.isdigit() else None
    if page is None or page.depth <= 2:
        raise AlertSourceError(_("没有这个页面，或该页面不能订阅。"), {"page": [_("页面不存在。")]})
    return {"page": page.pk}, _("页面“%(title)s”的更新") % {"title": page.title}


def _describe_page_ids(page_ids: list[int]) -> dict[int, int]:
    return {pk: pk for pk in page_ids}


def _match_page(params: dict, page_id: int) -> bool:
    return params.get("page") == page_id


def _page_url(params: dict) -> str:
    from wagtail.models import Page

    page = Page.objects.filter(pk=params["page"]).first()
    return page.url if page is not None and page.url else "/"


SEARCH = register_source(
    AlertSource(
        name="search",
        label="站内搜索",
        clean=_clean_search,
        describe=_describe_pages,
        matches=_match_search,
        url=_search_url,
    )
)
PAGE = register_source(
    AlertSource(
        name="page",
        label="页面更新",
        clean=_clean_page,
        describe=_describe_page_ids,
        matches=_match_page,
        url=_page_url,
    )
)

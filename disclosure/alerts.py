"""The catalogue as an alert source (`xxgk`): a subscription to any of its filters (topic, genre,
organisation, year, validity, keywords), optionally within one catalogue column. Registered with
portal.alerts in DisclosureConfig.ready(); the filter's own form checks the values, and matching a
published document is done in memory on the fields the filter reads, with the same keyword
expansion (abbreviations and synonyms)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext as _

from portal.alerts.sources import AlertSource, AlertSourceError, register_source
from portal.pages import public_q
from portal.search import keyword_variants

from .filters import MAX_KEYWORDS, DisclosureFilter
from .models import DisclosureDocumentPage, DisclosureIndexPage

KEYS = ("topic", "genre", "organisation", "year", "validity", "q")


def _within(raw) -> DisclosureIndexPage | None:
    raw = str(raw or "")
    if not raw:
        return None
    page = (
        DisclosureIndexPage.objects.live().filter(public_q(), pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if page is None:
        raise AlertSourceError(_("没有这个公开目录栏目。"), {"within": [_("栏目不存在。")]})
    return page


def clean(data: dict) -> tuple[dict, str]:
    within = _within(data.get("within"))
    query = {k: str(data.get(k) or "").strip() for k in KEYS if str(data.get(k) or "").strip()}
    filterset = DisclosureFilter(query or None, queryset=DisclosureDocumentPage.objects.none())
    if query and not filterset.is_valid():
        errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        raise AlertSourceError(
            _("订阅条件有误：%(e)s") % {"e": "；".join(sum(errors.values(), []))}, errors
        )
    cleaned = filterset.form.cleaned_data if query else {}
    params: dict = {}
    shown = []
    for key in KEYS:
        value = cleaned.get(key)
        if value in (None, ""):
            continue
        if key in ("topic", "genre"):
            params[key], display = value.slug, str(value)
        elif key == "organisation":
            params[key], display = value.code, value.name
        elif key == "year":
            params[key], display = int(value), _("%(y)d年") % {"y": int(value)}
        elif key == "validity":
            params[key] = value
            display = dict(filterset.filters["validity"].extra["choices"]).get(value, value)
        else:
            params[key], display = " ".join(value.split()), value
        shown.append(f"{filterset.filters[key].label}：{display}")
    title = within.title if within else _("政府信息公开目录")
    if within is not None:
        params["within"] = within.pk
        params["within_path"] = within.path
        params["within_url"] = within.url or "/xxgk/"
    description = title + (f"（{'，'.join(shown)}）" if shown else _("（全部新文件）"))
    return params, description


def describe(page_ids: list[int]) -> dict[int, dict]:
    """What the filters read, for each live, public document among `page_ids`: one query."""
    rows = (
        DisclosureDocumentPage.objects.live()
        .filter(public_q(), pk__in=page_ids)
        .select_related("topic", "genre", "issuing_organisation")
    )
    return {
        d.pk: {
            "path": d.path,
            "topic": d.topic.slug if d.topic_id else None,
            "genre": d.genre.slug if d.genre_id else None,
            "organisation": d.issuing_organisation.code if d.issuing_organisation_id else None,
            "year": d.published_date.year if d.published_date else None,
            "validity": d.validity,
            "text": " ".join(
                [d.title, d.document_number or "", d.index_number or "", d.summary or ""]
            ).lower(),
        }
        for d in rows
    }


def matches(params: dict, doc: dict) -> bool:
    if params.get("within_path") and not doc["path"].startswith(params["within_path"]):
        return False
    for key in ("topic", "genre", "organisation", "year", "validity"):
        if key in params and params[key] != doc[key]:
            return False
    for word in str(params.get("q") or "").split()[:MAX_KEYWORDS]:
        if not any(v.lower() in doc["text"] for v in keyword_variants(word)):
            return False
    return True


def url(params: dict) -> str:
    query = {k: params[k] for k in KEYS if k in params}
    base = params.get("within_url") or "/xxgk/"
    return base + ("?" + urlencode(query) if query else "")


SOURCE = AlertSource(
    name="xxgk", label="政府信息公开目录", clean=clean, describe=describe, matches=matches, url=url
)


def register() -> None:
    register_source(SOURCE)

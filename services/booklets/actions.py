"""Build and keep the booklets.

A built booklet is kept in Django's cache (Redis in production) under the current generation;
`generation_advance` (called on every publish, unpublish, move or delete of a guide or a centre,
`signals.py`) starts a new one, so every booklet built before is gone for the readers at once and
the next request builds it again. The generation is a random token, so a cache that lost it never
brings an older generation's booklets back."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from . import selectors
from .pdf import render_booklet

logger = logging.getLogger(__name__)

GENERATION_KEY = "booklets:generation"
BUILDING_SECONDS = 10 * 60  # a build that did not finish by then may be started again


@dataclass
class BuiltBooklet:
    pdf: bytes
    built_at: datetime
    data_date: datetime | None
    etag: str


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(6)
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return token


def generation_advance() -> str:
    """Forget every built booklet (and the cards' validators): a guide or a centre changed."""
    token = secrets.token_hex(6)
    cache.set(GENERATION_KEY, token, timeout=None)
    return token


def _key(prefix: str, *, kind: str, key: str, within_id: int | None, gen: str) -> str:
    return f"booklets:{prefix}:{gen}:{kind}:{key}:{within_id or 0}"


def booklet_stored(*, kind: str, key: str, within_id: int | None) -> BuiltBooklet | None:
    return cache.get(_key("pdf", kind=kind, key=key, within_id=within_id, gen=generation()))


def booklet_title(scope: selectors.BookletScope) -> str:
    return _("%(name)s办事指南汇编") % {"name": scope.title}


def booklet_subtitle(scope: selectors.BookletScope) -> str:
    if scope.kind == "centre" and scope.centre is not None:
        return f"{scope.centre.address}　{_('电话')} {scope.centre.phone}"
    if scope.kind == "district":
        return _("全区民政事项")
    return _("主题：%(topic)s") % {"topic": scope.title}


def booklet_build(
    scope: selectors.BookletScope, *, publisher: str = "", site_url: str = ""
) -> BuiltBooklet:
    """Render the booklet of `scope` now and keep it until the generation advances."""
    from django.utils import timezone

    gen = generation()
    sheets = selectors.booklet_sheets(scope)
    data_date = selectors.data_date(sheets)
    pdf = render_booklet(
        title=booklet_title(scope),
        subtitle=booklet_subtitle(scope),
        sheets=sheets,
        data_date=data_date,
        publisher=publisher,
        site_url=site_url,
    )
    import hashlib

    built = BuiltBooklet(
        pdf=pdf,
        built_at=timezone.now(),
        data_date=data_date,
        etag='"' + hashlib.sha256(pdf).hexdigest()[:32] + '"',
    )
    ids = {"kind": scope.kind, "key": scope.key, "within_id": getattr(scope.within, "pk", None)}
    cache.set(_key("pdf", gen=gen, **ids), built, timeout=settings.BOOKLET_KEEP_SECONDS)
    cache.delete(_key("building", gen=gen, **ids))
    logger.info("办事指南汇编已生成：%s，%s 项，%s 字节", scope.title, len(sheets), len(pdf))
    return built


def booklet_build_start(*, kind: str, key: str, within_id: int | None, **options) -> bool:
    """Queue the build for the task worker unless one is already under way; True if queued."""
    from .tasks import build_booklet

    marker = _key("building", kind=kind, key=key, within_id=within_id, gen=generation())
    if not cache.add(marker, True, timeout=BUILDING_SECONDS):
        return False
    try:
        build_booklet.enqueue(kind=kind, key=key, within_id=within_id, **options)
    except Exception:
        cache.delete(marker)
        raise
    return True


def card_get_or_render(*, guide_pk: int, size: str, host: str, render) -> tuple[bytes, str]:
    """A guide's card (PDF bytes, ETag) for `host` (its QR code holds the absolute address),
    rendered once per generation: `render()` makes it."""
    import hashlib

    host_key = hashlib.sha256(host.encode()).hexdigest()[:12]
    key = f"booklets:card:{generation()}:{guide_pk}:{size}:{host_key}"
    stored = cache.get(key)
    if stored is None:
        pdf = render()
        stored = (pdf, '"' + hashlib.sha256(pdf).hexdigest()[:32] + '"')
        cache.set(key, stored, timeout=settings.BOOKLET_KEEP_SECONDS)
    return stored


def booklet_building(*, kind: str, key: str, within_id: int | None) -> bool:
    marker = _key("building", kind=kind, key=key, within_id=within_id, gen=generation())
    return cache.get(marker) is not None

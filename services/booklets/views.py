"""编册 and 印卡 on the public site, under the pages they print:

- `<centre URL>hb/` — the centre's 办事指南汇编;
- `<办事服务 index URL>hb/topic/<topic>/` and `…/hb/district/<district code>/` — a topic's and a
  district's (the guides under that index);
- `<guide URL>card/a4/` and `…/card/a5/` — the guide's 一次告知单.

The PDFs are public answers (the front cache keeps them; a publish under /bsfw/ purges them) with
an ETag and Last-Modified. A booklet not built yet is built in the request when it is small
(BOOKLET_INLINE_MAX guides) and by the task worker otherwise: meanwhile the answer is a page that
says so and reloads itself (a meta refresh, no script: the CSP allows none), never cached."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from portal.frontcache.policy import public_cache
from portal.http import content_disposition, no_store
from portal.models import PortalSettings

from ..applications.receipt import ReceiptFontMissing
from . import actions, selectors
from .pdf import render_card

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 5


def _url_path(request, page_path: str) -> str:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site.root_page.url_path + page_path.lstrip("/")


def _pdf_response(request, pdf: bytes, *, filename: str, etag: str, modified) -> HttpResponse:
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(filename, attachment=False)
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _font_missing(request, title: str) -> HttpResponse:
    logger.error("办事指南 PDF 未生成：服务器缺少中文字体（见 scripts/ensure-fonts.sh）")
    response = render(request, "services/booklets/unavailable.html", {"title": title}, status=503)
    response["Retry-After"] = "3600"
    return no_store(response)


def _booklet(request, scope: selectors.BookletScope) -> HttpResponse:
    ids = {"kind": scope.kind, "key": scope.key, "within_id": getattr(scope.within, "pk", None)}
    title = actions.booklet_title(scope)
    built = actions.booklet_stored(**ids)
    if built is None:
        portal_settings = PortalSettings.for_request(request)
        options = {
            "publisher": portal_settings.site_name,
            "site_url": request.build_absolute_uri("/"),
        }
        try:
            if selectors.booklet_size(scope) <= settings.BOOKLET_INLINE_MAX:
                built = actions.booklet_build(scope, **options)
            else:
                actions.booklet_build_start(**ids, **options)
                built = actions.booklet_stored(**ids)  # an immediate task backend built it
        except ReceiptFontMissing:
            return _font_missing(request, title)
    if built is None:
        response = render(
            request,
            "services/booklets/building.html",
            {"title": title, "refresh": REFRESH_SECONDS},
            status=202,
        )
        response["Retry-After"] = str(REFRESH_SECONDS)
        return no_store(response)
    return _pdf_response(
        request,
        built.pdf,
        filename=f"{title}.pdf",
        etag=built.etag,
        modified=built.data_date or built.built_at,
    )


@require_safe
@public_cache
def centre_booklet(request, centre_path: str):
    centre = selectors.centre_by_path(_url_path(request, centre_path))
    if centre is None:
        raise Http404
    scope = selectors.resolve_scope(kind="centre", key=str(centre.pk), within_id=None)
    return _booklet(request, scope)


@require_safe
@public_cache
def index_booklet(request, index_path: str, kind: str, key: str):
    index = selectors.service_index_by_path(_url_path(request, index_path))
    if index is None:
        raise Http404
    scope = selectors.resolve_scope(kind=kind, key=key, within_id=index.pk)
    if scope is None:
        raise Http404
    return _booklet(request, scope)


@require_safe
@public_cache
def guide_card(request, guide_path: str, size: str):
    guide = selectors.card_guide(_url_path(request, guide_path))
    if guide is None:
        raise Http404
    sheet = selectors.guide_sheet(guide)
    portal_settings = PortalSettings.for_request(request)
    try:
        pdf, etag = actions.card_get_or_render(
            guide_pk=guide.pk,
            size=size,
            host=request.get_host(),
            render=lambda: render_card(
                sheet=sheet,
                size=size,
                guide_url=request.build_absolute_uri(sheet.url),
                publisher=portal_settings.site_name,
            ),
        )
    except ReceiptFontMissing:
        return _font_missing(request, _("一次告知单"))
    return _pdf_response(
        request,
        pdf,
        filename=_("%(title)s一次告知单（%(size)s）.pdf")
        % {"title": guide.title, "size": size.upper()},
        etag=etag,
        modified=guide.last_published_at,
    )

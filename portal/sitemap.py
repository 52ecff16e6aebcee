"""/sitemap.xml (sitemaps.org 0.9): every live, public page of the site with its last
publication as `lastmod`, and the public views that are not pages (the lookup, the site map,
contact, the complaint form and its replies, the ratings, the forms list). One query for the
pages; above SITEMAP_LIMIT URLs (50,000 by the protocol) /sitemap.xml is an index of
/sitemap/<n>.xml parts. Public, so the front cache keeps it; a publish purges it with the rest of
the site's listings (`LISTINGS` in portal/frontcache/purge.py)."""

from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from .frontcache.policy import public_cache
from .pages import public_q

SITEMAP_LIMIT = 50_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Public views outside the page tree, by URL name (the apps' names, never their modules).
EXTRA_VIEWS = (
    "case_lookup",
    "site_map",
    "contact",
    "complaint_form",
    "complaint_replies",
    "rating_results",
)


def _extra_paths() -> list[str]:
    paths = []
    for name in EXTRA_VIEWS:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def sitemap_entries(site: Site) -> list[tuple[str, object]]:
    """(site-relative path, lastmod) of every live public page of `site`, in tree order, then the
    extra views (no lastmod). One query."""
    root = site.root_page
    rows = (
        Page.objects.live()
        .filter(public_q())
        .filter(path__startswith=root.path, depth__gte=root.depth)
        .order_by("path")
        .values_list("url_path", "last_published_at")
    )
    prefix = len(root.url_path)
    entries = [("/" + url_path[prefix:], modified) for url_path, modified in rows]
    return entries + [(path, None) for path in _extra_paths()]


def _xml(write) -> HttpResponse:
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    handler = SimplerXMLGenerator(response, "utf-8")
    handler.startDocument()
    write(handler)
    handler.endDocument()
    return response


def _urlset(request, entries) -> HttpResponse:
    def write(xml):
        xml.startElement("urlset", {"xmlns": NS})
        for path, modified in entries:
            xml.startElement("url", {})
            xml.addQuickElement("loc", request.build_absolute_uri(path))
            if modified:
                xml.addQuickElement("lastmod", modified.isoformat(timespec="seconds"))
            xml.endElement("url")
        xml.endElement("urlset")

    return _xml(write)


def _site_entries(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return sitemap_entries(site)


@require_safe
@public_cache
def sitemap(request):
    entries = _site_entries(request)
    if len(entries) <= SITEMAP_LIMIT:
        return _urlset(request, entries)
    parts = (len(entries) + SITEMAP_LIMIT - 1) // SITEMAP_LIMIT

    def write(xml):
        xml.startElement("sitemapindex", {"xmlns": NS})
        for n in range(1, parts + 1):
            chunk = entries[(n - 1) * SITEMAP_LIMIT : n * SITEMAP_LIMIT]
            dates = [m for _p, m in chunk if m]
            xml.startElement("sitemap", {})
            xml.addQuickElement("loc", request.build_absolute_uri(f"/sitemap/{n}.xml"))
            if dates:
                xml.addQuickElement("lastmod", max(dates).isoformat(timespec="seconds"))
            xml.endElement("sitemap")
        xml.endElement("sitemapindex")

    return _xml(write)


@require_safe
@public_cache
def sitemap_part(request, part: int):
    entries = _site_entries(request)
    chunk = entries[(part - 1) * SITEMAP_LIMIT : part * SITEMAP_LIMIT]
    if part < 1 or not chunk or len(entries) <= SITEMAP_LIMIT:
        raise Http404
    return _urlset(request, chunk)

import sys

from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Page, Site

from .context_processors import ELDER_COOKIE
from .frontcache.policy import public_cache
from .search import (
    CombinedResults,
    excerpt,
    highlight,
    search_pages,
    search_query,
    search_sources,
)
from .security.body import bad_body_message, bad_body_status, error_response, is_api
from .security.csrf import same_origin_post


@same_origin_post
@require_POST
def elder_mode_toggle(request):
    """Switch the elder-friendly mode (适老化: larger text, high contrast) on or off. Works without
    JavaScript; the choice lives in a cookie for a year. The switch is in the header of every
    (cached) page, so it carries no CSRF token: same-origin posts only (portal/security/csrf.py)."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(ELDER_COOKIE)
    return response


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    return render(request, "404.html", {"message": _("您访问的页面不存在或已被移除。")}, status=404)


def bad_request(request, exception=None):
    """400 for a body that cannot be parsed (malformed or cut-off multipart, too many fields), 413
    for form fields over DATA_UPLOAD_MAX_MEMORY_SIZE: the API's JSON shape under /api/, a Chinese
    page elsewhere."""
    return error_response(request, bad_body_status(exception), bad_body_message(exception))


# Seconds a client should wait after a 503 for a database that could not be reached.
RETRY_AFTER_OUTAGE = 5


def server_error(request):
    """500 — or 503 with `Retry-After` when the database could not be reached (a restart or a
    fail-over cut the connection): its transaction did not commit, so the request did nothing and
    can be repeated (with an Idempotency-Key, a repeat that did commit returns the first answer).
    The API answers in its JSON shape. Renders nothing that needs the database."""
    unavailable = isinstance(sys.exc_info()[1], (OperationalError, InterfaceError))
    status = 503 if unavailable else 500
    if is_api(request):
        message = (
            _("系统暂时无法连接数据库，本次请求未被处理，请稍后重试。")
            if unavailable
            else _("服务器内部错误，请稍后重试。")
        )
        response = JsonResponse({"detail": message, "errors": {}}, status=status)
    else:
        response = render(request, "500.html", status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    response["Cache-Control"] = "no-store"
    return response


def api_not_found(request, path=""):
    """Unknown paths under /api/ answer in the API's own error shape, not with an HTML page."""
    return JsonResponse({"detail": _("未找到该接口。"), "errors": {}}, status=404)


# -- site search ---------------------------------------------------------------------------

MAX_QUERY_LENGTH = 100
PER_PAGE = 10


@public_cache
def search(request):
    """/search/: every live, public page of the site (or of one section), segmented Chinese
    full-text search (portal/search.py), best first. Cached for anonymous visitors, purged with
    every page change (portal/frontcache/purge.py)."""
    query = (request.GET.get("q") or "").strip()
    site = Site.find_for_request(request)
    sections = (
        list(
            site.root_page.get_children()
            .live()
            .in_menu()
            .only("id", "title", "url_path", "path", "depth")
        )
        if site
        else []
    )
    section = next((s for s in sections if str(s.pk) == request.GET.get("section")), None)
    context = {"search_query": query, "sections": sections, "section": section, "results": []}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = _("搜索词不能超过%(n)d个字。") % {"n": MAX_QUERY_LENGTH}
        return render(request, "search/search.html", context, status=400)
    if query:
        within = section or (site.root_page if site else None)
        pages, terms = search_pages(
            query, within=within, queryset=Page.objects.live().public().specific()
        )
        if not terms:
            context["error"] = _("请输入有意义的搜索词，如“低保”“结婚登记”。")
        else:
            results = CombinedResults(
                [(pages, lambda objects: [_page_result(request, p, terms) for p in objects])]
                + [
                    (source.search(search_query(query)), _source_converter(source, terms))
                    for source in search_sources(_site_path(site, section))
                ]
            )
            paginator = Paginator(results, PER_PAGE)
            page_obj = paginator.get_page(request.GET.get("page"))
            context.update(
                {
                    "page_obj": page_obj,
                    "paginator": paginator,
                    "terms": terms,
                    "results": page_obj.object_list,
                }
            )
    return render(request, "search/search.html", context)


def _site_path(site, section) -> str | None:
    """The site path of a section (/hdjl/), or None for the whole site."""
    if section is None or site is None:
        return None
    return "/" + section.url_path[len(site.root_page.url_path) :]


def _page_result(request, page, terms) -> dict:
    return {
        "page": page,
        "url": page.get_url(request=request),
        "title": highlight(page.title, terms),
        "excerpt": highlight(excerpt(_plain_text(page), terms), terms),
        "label": "",
    }


def _source_converter(source, terms):
    def convert(objects) -> list[dict]:
        return [
            {
                "page": None,
                "url": entry.url,
                "title": highlight(entry.title, terms),
                "excerpt": highlight(excerpt(entry.text, terms), terms),
                "label": entry.label,
            }
            for entry in source.entries(objects)
        ]

    return convert


def _plain_text(page) -> str:
    parts = [page.search_description or ""]
    for name in ("summary", "intro"):
        parts.append(getattr(page, name, "") or "")
    body = getattr(page, "body", None)
    if body:
        if hasattr(body, "stream_block"):
            parts += [strip_tags(str(block.render_as_block())) for block in body]
        else:
            parts.append(strip_tags(str(body)))
    return " ".join(p for p in parts if p)


# The national platform where citizens report errors on government websites (我为政府网站找错,
# 政府网站发展指引); the footer links to it.
ERROR_REPORT_URL = "https://zfwzzc.www.gov.cn/"


@public_cache
def site_map(request):
    """/wzdt/ 网站地图: the sections in the menu and their menu pages, two levels deep, and the
    online services that are not pages (one query for the tree)."""
    site = Site.find_for_request(request)
    sections, children = [], {}
    if site is not None:
        root = site.root_page
        pages = list(
            Page.objects.descendant_of(root)
            .live()
            .public()
            .in_menu()
            .filter(depth__lte=root.depth + 2)
            .only("id", "title", "url_path", "path", "depth")
            .order_by("path")
        )
        for page in pages:
            if page.depth == root.depth + 1:
                sections.append(page)
            else:
                children.setdefault(page.path[: -Page.steplen], []).append(page)
    tree = [{"page": s, "children": children.get(s.path, [])} for s in sections]
    return render(request, "portal/site_map.html", {"tree": tree})


def contact(request):
    """/lxwm/ 联系我们: the site's contact details (site settings) and where to go for what."""
    return render(request, "portal/contact.html", {"error_report_url": ERROR_REPORT_URL})

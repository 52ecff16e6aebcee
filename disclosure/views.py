"""Site search (/search/). It lives here because the catalogue is most of what people search for;
the segmentation itself is portal.search, shared by every page type."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from portal.search import excerpt, highlight, search_pages

MAX_QUERY_LENGTH = 100
PER_PAGE = 10


def search(request):
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
        results, terms = search_pages(
            query, within=within, queryset=Page.objects.live().public().specific()
        )
        if not terms:
            context["error"] = _("请输入有意义的搜索词，如“低保”“结婚登记”。")
        else:
            paginator = Paginator(results, PER_PAGE)
            page_obj = paginator.get_page(request.GET.get("page"))
            context.update(
                {
                    "page_obj": page_obj,
                    "paginator": paginator,
                    "terms": terms,
                    "results": [
                        {
                            "page": page,
                            "title": highlight(page.title, terms),
                            "excerpt": highlight(excerpt(_plain_text(page), terms), terms),
                        }
                        for page in page_obj.object_list
                    ],
                }
            )
    return render(request, "search/search.html", context)


def _plain_text(page) -> str:
    from django.utils.html import strip_tags

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

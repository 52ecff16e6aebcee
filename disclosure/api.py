"""GET /api/v1/disclosures: the catalogue with the same filters as /xxgk/, paginated; and, mounted
on the same router, 依申请公开 (disclosure/requests/api.py)."""

from datetime import date

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from portal.apiutils import MAX_PAGE, ApiError, ErrorOut
from portal.frontcache.policy import public_cache
from portal.http import absolute_page_url

from .selectors import filtered_documents

router = Router(tags=["disclosure"])

MAX_PAGE_SIZE = 100


class DisclosureFilters(Schema):
    topic: str | None = None
    genre: str | None = None
    organisation: str | None = None
    year: str | None = None
    validity: str | None = None
    q: str | None = None
    sort: str | None = None
    # Checked by the endpoint itself, with the filters, so every error comes back at once.
    page: int = Field(1, json_schema_extra={"minimum": 1, "maximum": MAX_PAGE})
    page_size: int = Field(20, json_schema_extra={"minimum": 1, "maximum": MAX_PAGE_SIZE})


class TermOut(Schema):
    slug: str
    name: str


class DisclosureOut(Schema):
    index_number: str
    title: str
    url: str
    document_number: str
    written_date: date | None
    published_date: date
    topic: TermOut
    genre: TermOut
    organisation: str
    organisation_name: str
    validity: str
    validity_label: str
    effective_date: date | None
    repealed_date: date | None
    summary: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute_page_url(obj, context["request"])

    @staticmethod
    def resolve_organisation(obj):
        return obj.issuing_organisation.code

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.issuing_organisation.name

    @staticmethod
    def resolve_validity_label(obj):
        return str(obj.get_validity_display())


class DisclosurePageOut(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    results: list[DisclosureOut]


@router.get(
    "/disclosures",
    response={200: DisclosurePageOut, 422: ErrorOut},
    summary="政府信息公开目录 (disclosure catalogue)",
)
@public_cache
def list_disclosures(request, filters: Query[DisclosureFilters]):
    """Published documents, newest first. Filters as on /xxgk/: `topic` and `genre` (slugs),
    `organisation` (code), `year`, `validity` (valid, expired, repealed), `q` (keyword);
    `sort` (-published_date or published_date); `page`, `page_size` (1–100)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= filters.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [_("每页条数应在1至100之间。")]
    if not 1 <= filters.page <= MAX_PAGE:
        errors["page"] = [_("页码应在 1 至 %(max)d 之间。") % {"max": MAX_PAGE}]
    data = {
        k: v
        for k, v in filters.dict().items()
        if k not in ("page", "page_size") and v not in (None, "")
    }
    filterset, qs = filtered_documents(data=data)
    if filterset.is_bound and filterset.errors:
        for field, messages in filterset.errors.items():
            errors.setdefault(field, []).extend(str(m) for m in messages)
    if errors:
        raise ApiError(422, _("筛选条件有误。"), errors)
    paginator = Paginator(qs, filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        if filters.page == 1:
            page = None
        else:
            raise ApiError(
                404,
                _("没有第 %(page)d 页，共 %(pages)d 页。")
                % {"page": filters.page, "pages": paginator.num_pages},
                {"page": [_("页码超出范围。")]},
            ) from None
    return {
        "count": paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "num_pages": paginator.num_pages,
        "results": list(page.object_list) if page else [],
    }


@router.get(
    "/catalogue.jsonld",
    response={200: dict},
    summary="开放数据目录 (DCAT-AP, JSON-LD)",
)
@public_cache
def catalogue(request):
    """The open data of the portal as a DCAT-AP catalogue in JSON-LD
    (`application/ld+json`): the disclosure catalogue dataset with its daily bulk downloads (CSV,
    JSON Lines: size, SHA-256, modified) and this API."""
    from django.http import HttpResponse

    from portal.models import PortalSettings
    from portal.templatetags.structured_data import ld_json_text

    from .opendata.catalogue import dcat_catalogue

    data = dcat_catalogue(request, site_name=PortalSettings.for_request(request).site_name)
    return HttpResponse(ld_json_text(data), content_type="application/ld+json; charset=utf-8")


# This app's routers, each with its own tag: portal/api.py mounts them side by side.
from .requests.api import router as requests_router  # noqa: E402

routers = (router, requests_router)

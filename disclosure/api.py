"""GET /api/v1/disclosures: the catalogue with the same filters as /xxgk/, paginated."""

from datetime import date

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from portal.apiutils import ApiError, ErrorOut

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
    page: int = 1
    page_size: int = 20


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
        return obj.get_full_url(context["request"])

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
def list_disclosures(request, filters: Query[DisclosureFilters]):
    """Published documents, newest first. Filters as on /xxgk/: `topic` and `genre` (slugs),
    `organisation` (code), `year`, `validity` (valid, expired, repealed), `q` (keyword);
    `sort` (-published_date or published_date); `page`, `page_size` (1–100)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= filters.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [_("每页条数应在1至100之间。")]
    if filters.page < 1:
        errors["page"] = [_("页码应为正整数。")]
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


# ---------------------------------------------------------------------------------------------
# 依申请公开: POST /api/v1/disclosure-requests (field names: DESIGN.md section 3). Kept as one
# block at the bottom; the catalogue endpoints live above it.

import json as _json  # noqa: E402

from ninja import Field as _Field  # noqa: E402
from ninja import Schema as _Schema  # noqa: E402
from ninja import Status as _Status  # noqa: E402

from portal.apiutils import ApiError as _ApiError  # noqa: E402
from portal.apiutils import ErrorOut as _ErrorOut  # noqa: E402
from portal.cases import CaseError as _CaseError  # noqa: E402
from portal.cases import fingerprint as _fingerprint  # noqa: E402
from portal.cases import run_idempotent as _run_idempotent  # noqa: E402

from .request_actions import information_request_submit  # noqa: E402


def _case_error_to_api(exc: _CaseError) -> _ApiError:
    """CaseError → the API's error shape (local helper; the lead may fold it into apiutils)."""
    return _ApiError(exc.status, exc.message, exc.errors)


class DisclosureRequestIn(_Schema):
    """Every field is validated by the action, so that all errors come back at once, in Chinese,
    keyed by these field names."""

    applicant_type: str | None = None
    organisation_kind: str | None = None
    applicant_name: str | None = None
    applicant_id_number: str | None = None
    credit_code: str | None = None
    contact_name: str | None = None
    applicant_phone: str | None = None
    applicant_email: str | None = None
    applicant_address: str | None = None
    postcode: str | None = None
    description: str | None = None
    document_number: str | None = None
    form: str | None = None
    delivery: str | None = None
    organisation: str | None = None


class CaseCreatedOut(_Schema):
    case_number: str
    query_code: str
    # An ISO 8601 date (a plain string keeps the schema independent of the date class).
    due_date: str | None = _Field(None, description="ISO 8601 date, e.g. 2026-10-30")
    status: str


@router.post(
    "/disclosure-requests",
    response={201: CaseCreatedOut, 422: _ErrorOut},
    summary="Apply for government information (依申请公开)",
    tags=["disclosure-requests"],
)
def create_disclosure_request(request, payload: DisclosureRequestIn):
    """Submit an application for government information. `applicant_type` is `natural_person`
    (needs `applicant_id_number`) or `legal_person` (needs `organisation_kind` and the 18-character
    `credit_code`). `form`: `paper`/`electronic`; `delivery`: `post` (needs `applicant_address`),
    `email` (needs `applicant_email`), `pickup`, `online`; `organisation`: the code of the body
    asked. Answers 201 with the case number and the query code (shown only this once) and the
    reply due date (20 working days after receipt). Honours `Idempotency-Key`."""
    data = payload.model_dump()

    def create():
        case, query_code = information_request_submit(**data)
        return 201, {
            "case_number": case.case_number,
            "query_code": query_code,
            "due_date": case.due_date.isoformat() if case.due_date else None,
            "status": case.status,
        }

    try:
        status, body = _run_idempotent(
            scope="disclosure-requests",
            key=request.headers.get("Idempotency-Key"),
            fingerprint=_fingerprint(_json.dumps(data, sort_keys=True, ensure_ascii=False)),
            fn=create,
        )
    except _CaseError as exc:
        raise _case_error_to_api(exc) from None
    return _Status(status, body)

"""办事服务 API: service items (事项) — the list with filters and one item by its code — and, mounted on
the same router, the sub-domains' endpoints: applications (services/applications/api.py) and
complaints (services/complaints/api.py)."""

from datetime import date
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from portal.apiutils import MAX_PAGE, ApiError, ErrorOut
from portal.frontcache.policy import public_cache

from .filters import KEYWORD_MAX_LENGTH
from .models import ItemType, ServiceTopic
from .selectors import filter_guides, service_item_by_code

router = Router(tags=["service-items"])

MAX_PAGE_SIZE = 100


class OrganisationRefOut(Schema):
    code: str
    name: str


class ServiceItemOut(Schema):
    code: str
    name: str
    summary: str
    topic: str
    topic_label: str
    type: str
    type_label: str
    organisation: OrganisationRefOut
    case_type: str
    online: bool = Field(description="网上申请已开放")
    online_depth: int
    statutory_limit_days: int
    promised_limit_days: int
    visits_required: int
    free: bool
    fee_summary: str
    url: str
    apply_url: str | None


class ServiceItemPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[ServiceItemOut]


class MaterialOut(Schema):
    code: str
    name: str
    required: bool
    kind: str
    kind_label: str
    copies: int
    notes: str
    blank_form_url: str | None
    sample_url: str | None


class FormFieldOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    choices: list[str]
    help_text: str
    max_length: int


class StepOut(Schema):
    name: str
    description: str
    time_limit: str


class LegalBasisOut(Schema):
    law_name: str
    article: str
    text: str


class FeeItemOut(Schema):
    code: str
    name: str
    unit: str
    amount: Decimal = Field(description="元，十进制字符串")
    fee_type: str
    fee_type_label: str
    legal_basis: str
    approval_number: str
    effective_date: date


class CentreOut(Schema):
    name: str
    district: str
    address: str
    hours: str
    phone: str
    url: str


class ServiceItemDetailOut(ServiceItemOut):
    acceptance_conditions: str = Field(description="HTML")
    legal_basis: list[LegalBasisOut]
    materials: list[MaterialOut]
    form_fields: list[FormFieldOut]
    steps: list[StepOut]
    fees: list[FeeItemOut]
    fee_note: str
    venue: str
    office_hours: str
    centres: list[CentreOut]
    result_name: str
    result_delivery: str
    result_delivery_label: str
    consult_phone: str
    complaint_phone: str


def _document_url(request, document) -> str | None:
    return request.build_absolute_uri(document.url) if document is not None else None


def _item(request, guide) -> dict:
    url = guide.get_url(request)
    return {
        "code": guide.code,
        "name": guide.title,
        "summary": guide.summary,
        "topic": guide.topic,
        "topic_label": str(guide.get_topic_display()),
        "type": guide.item_type,
        "type_label": str(guide.get_item_type_display()),
        "organisation": {"code": guide.organisation.code, "name": guide.organisation.name},
        "case_type": guide.case_type,
        "online": guide.online_application_open,
        "online_depth": guide.online_depth,
        "statutory_limit_days": guide.statutory_limit_days,
        "promised_limit_days": guide.promised_limit_days,
        "visits_required": guide.visits_required,
        "free": guide.is_free,
        "fee_summary": guide.fee_summary(),
        "url": request.build_absolute_uri(url),
        "apply_url": request.build_absolute_uri(f"{url}apply/")
        if guide.online_application_open
        else None,
    }


@router.get(
    "/service-items",
    response={200: ServiceItemPageOut, 422: ErrorOut},
    summary="List service items (办事事项)",
)
@public_cache
def list_service_items(
    request,
    topic: ServiceTopic | None = None,
    organisation: str | None = Query(None, description="机构代码，含下级机构"),
    type: ItemType | None = None,  # noqa: A002 - the public parameter name
    online: bool | None = None,
    q: str | None = Query(None, max_length=KEYWORD_MAX_LENGTH),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    """Published service guides: code, name, organisation, 事项类型, online flag, statutory and
    promised limits in working days, fee summary and URL. Filters as on `/bsfw/`."""
    params = QueryDict(mutable=True)
    for key, value in {
        "topic": topic.value if topic else None,
        "organisation": organisation,
        "type": type.value if type else None,
        "online": None if online is None else ("true" if online else "false"),
        "q": q,
    }.items():
        if value:
            params[key] = value
    filterset = filter_guides(params)
    if not filterset.is_valid():
        raise ApiError(
            422,
            _("筛选条件有误。"),
            {field: [str(m) for m in msgs] for field, msgs in filterset.errors.items()},
        )
    qs = filterset.qs
    count = qs.count()
    start = (page - 1) * page_size
    guides = list(qs[start : start + page_size])
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": [_item(request, g) for g in guides],
    }


@router.get(
    "/service-items/{code}",
    response={200: ServiceItemDetailOut, 404: ErrorOut},
    summary="One service item (办事指南) with its materials, form fields, steps and fees",
)
@public_cache
def get_service_item(request, code: str):
    guide = service_item_by_code(code)
    if guide is None:
        raise ApiError(404, _("没有编码为“%(code)s”的办事事项。") % {"code": code})
    data = _item(request, guide)
    data.update(
        {
            "acceptance_conditions": guide.acceptance_conditions,
            "legal_basis": [
                {"law_name": b.law_name, "article": b.article, "text": b.text}
                for b in guide.legal_bases.all()
            ],
            "materials": [
                {
                    "code": m.code,
                    "name": m.name,
                    "required": m.required,
                    "kind": m.kind,
                    "kind_label": str(m.get_kind_display()),
                    "copies": m.copies,
                    "notes": m.notes,
                    "blank_form_url": _document_url(request, m.blank_form),
                    "sample_url": _document_url(request, m.sample),
                }
                for m in guide.materials.all()
            ],
            "form_fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "type": f.field_type,
                    "required": f.required,
                    "choices": f.choice_list(),
                    "help_text": f.help_text,
                    "max_length": f.max_length,
                }
                for f in guide.form_fields.all()
            ],
            "steps": [
                {"name": s.name, "description": s.description, "time_limit": s.time_limit}
                for s in guide.steps.all()
            ],
            "fees": [
                {
                    "code": f.code,
                    "name": f.name,
                    "unit": f.unit,
                    "amount": f.amount,
                    "fee_type": f.fee_type,
                    "fee_type_label": str(f.get_fee_type_display()),
                    "legal_basis": f.legal_basis,
                    "approval_number": f.approval_number,
                    "effective_date": f.effective_date,
                }
                for f in guide.fee_items.all()
            ],
            "fee_note": guide.fee_note,
            "venue": guide.venue,
            "office_hours": guide.office_hours,
            "centres": [
                {
                    "name": c.title,
                    "district": c.district,
                    "address": c.address,
                    "hours": c.hours,
                    "phone": c.phone,
                    "url": request.build_absolute_uri(c.get_url(request)),
                }
                for c in guide.centres.all()
            ],
            "result_name": guide.result_name,
            "result_delivery": guide.result_delivery,
            "result_delivery_label": str(guide.get_result_delivery_display()),
            "consult_phone": guide.consult_phone,
            "complaint_phone": guide.complaint_phone,
        }
    )
    return data


# This app's routers, each with its own tag: portal/api.py mounts them side by side.
from .applications.api import router as applications_router  # noqa: E402
from .appointments.api import router as appointments_router  # noqa: E402
from .complaints.api import router as complaints_router  # noqa: E402
from .ratings.api import router as ratings_router  # noqa: E402

routers = (router, applications_router, complaints_router, ratings_router, appointments_router)

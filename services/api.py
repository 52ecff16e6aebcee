"""办事服务 API: service items (事项) — the list with filters and one item by its code. (The online
application endpoints of the case loop are added below these.)"""

from datetime import date
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from portal.apiutils import ApiError, ErrorOut

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
def list_service_items(
    request,
    topic: ServiceTopic | None = None,
    organisation: str | None = Query(None, description="机构代码，含下级机构"),
    type: ItemType | None = None,  # noqa: A002 - the public parameter name
    online: bool | None = None,
    q: str | None = Query(None, max_length=KEYWORD_MAX_LENGTH),
    page: int = Query(1, ge=1),
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


# =============================================================================================
# 监督投诉 (complaints): POST /api/v1/complaints. Kept in its own block at the end of the module.

from ninja import Header as _ComplaintHeader  # noqa: E402
from ninja import Schema as _ComplaintSchema  # noqa: E402
from ninja import Status as _ComplaintStatus  # noqa: E402

from portal.apiutils import ApiError as _ComplaintApiError  # noqa: E402
from portal.apiutils import ErrorOut as _ComplaintErrorOut  # noqa: E402


class ComplaintIn(_ComplaintSchema):
    subject: str
    content: str
    complainant_name: str
    complainant_phone: str
    complainant_email: str = ""
    organisation: str | None = None
    service_item: str | None = None
    category: str | None = None
    publish_consent: bool = False


class ComplaintCreatedOut(_ComplaintSchema):
    case_number: str
    query_code: str
    due_date: str | None
    status: str
    status_label: str
    organisation: str
    deadline_explanation: str


@router.post(
    "/complaints",
    response={201: ComplaintCreatedOut, 422: _ComplaintErrorOut, 429: _ComplaintErrorOut},
    summary="Submit a complaint (监督投诉)",
    tags=["complaints"],
)
def create_complaint(
    request,
    payload: ComplaintIn,
    idempotency_key: str | None = _ComplaintHeader(None, alias="Idempotency-Key"),
):
    """监督投诉 about a service item, an organisation or staff conduct. `organisation` and
    `service_item` are codes, both optional: a complaint about a service item goes to its
    organisation; naming neither sends it to the city bureau. `category` (optional):
    `service_item`, `organisation` or `staff_conduct`. `publish_consent`: the complainant agrees
    that the reply may be published with personal data removed. Answers 201 with the case number
    and the query code (shown only this once). A retry with the same `Idempotency-Key` returns the
    first answer and creates nothing."""
    from portal import ratelimit
    from portal.cases import CaseError, fingerprint, run_idempotent

    from .complaint_actions import COMPLAINT_SUBMIT_LIMIT, complaint_submit

    client = ratelimit.client_ip(request)

    def submit():
        if ratelimit.is_limited(COMPLAINT_SUBMIT_LIMIT, client):
            raise _ComplaintApiError(429, _complaint_limit_message())
        complaint, query_code = complaint_submit(
            subject=payload.subject,
            content=payload.content,
            complainant_name=payload.complainant_name,
            complainant_phone=payload.complainant_phone,
            complainant_email=payload.complainant_email,
            organisation=payload.organisation or "",
            service_item=payload.service_item or "",
            category=payload.category or "",
            publish_consent=payload.publish_consent,
        )
        ratelimit.hit(COMPLAINT_SUBMIT_LIMIT, client)
        return 201, {
            "case_number": complaint.case_number,
            "query_code": query_code,
            "due_date": complaint.due_date.isoformat() if complaint.due_date else None,
            "status": complaint.status,
            "status_label": complaint.status_label,
            "organisation": complaint.organisation.code,
            "deadline_explanation": complaint.deadline_explanation,
        }

    try:
        status, body = run_idempotent(
            scope="complaints",
            key=idempotency_key,
            fingerprint=fingerprint(request.body),
            fn=submit,
        )
    except CaseError as exc:
        raise _ComplaintApiError(exc.status, exc.message, exc.errors) from None
    return _ComplaintStatus(status, body)


def _complaint_limit_message() -> str:
    from django.utils.translation import gettext

    return gettext("提交过于频繁，请一小时后再试，或拨打监督投诉电话。")


# ---------------------------------------------------------------------------------------------
# Online applications (在线受理)

import hashlib  # noqa: E402
import json  # noqa: E402
from datetime import date  # noqa: E402

from django.http import HttpRequest, HttpResponse  # noqa: E402
from ninja import Schema, Status  # noqa: E402

from portal.apiutils import ErrorOut  # noqa: E402
from portal.case_api import no_store  # noqa: E402
from portal.cases import CaseValidationError, fingerprint, run_idempotent  # noqa: E402

from .actions import application_submit  # noqa: E402
from .models import ServiceGuidePage  # noqa: E402


class ApplicationCreatedOut(Schema):
    case_number: str
    query_code: str
    due_date: date | None
    status: str
    status_label: str
    deadline_explanation: str


APPLICATION_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [
                    "service_item",
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_phone",
                ],
                "properties": {
                    "service_item": {"type": "string", "description": "事项编码"},
                    "applicant_name": {"type": "string", "maxLength": 50},
                    "applicant_id_number": {
                        "type": "string",
                        "description": "18位居民身份证号码（校验位检查）",
                    },
                    "applicant_phone": {"type": "string"},
                    "applicant_address": {"type": "string", "maxLength": 200},
                    "fields": {
                        "type": "string",
                        "description": "the guide's own fields as a JSON object string, "
                        'e.g. {"reason": "…"}',
                    },
                },
                "additionalProperties": {
                    "type": "string",
                    "format": "binary",
                    "description": "one file per material, part name `material_<material code>`;"
                    " PDF, JPG or PNG checked by content",
                },
            }
        }
    },
}


@router.post(
    "/applications",
    response={201: ApplicationCreatedOut, 404: ErrorOut, 422: ErrorOut},
    summary="Apply online for a service item (在线受理)",
    tags=["applications"],
    openapi_extra={"requestBody": APPLICATION_REQUEST_BODY},
)
def create_application(request: HttpRequest, response: HttpResponse):
    """Multipart: the applicant, the guide's own `fields` (a JSON object string) and one file per
    material in `material_<code>`. 201 with the case number and the query code (shown once); 422
    with every field error at once (keys as in the request: `applicant_id_number`,
    `fields.reason`, `material_id_card`). A retry with the same `Idempotency-Key` returns the
    first answer and creates nothing."""
    post, files = request.POST, request.FILES
    code = post.get("service_item", "").strip()
    if not code:
        raise CaseValidationError(_("请指定办理事项。"), {"service_item": [_("此项为必填项。")]})
    service = (
        ServiceGuidePage.objects.live().public().filter(code=code).select_related("organisation")
    ).first()
    if service is None:
        raise CaseValidationError(
            _("办理事项不存在：%(c)s。") % {"c": code}, {"service_item": [_("事项编码不存在。")]}
        )
    try:
        fields = json.loads(post.get("fields") or "{}")
        if not isinstance(fields, dict):
            raise ValueError
    except ValueError:
        raise CaseValidationError(
            _("申请表内容格式不正确。"), {"fields": [_("fields 应为 JSON 对象。")]}
        ) from None
    material_files = {
        name.removeprefix("material_"): files[name]
        for name in files
        if name.startswith("material_")
    }
    unexpected = [name for name in files if not name.startswith("material_")]
    if unexpected:
        raise CaseValidationError(
            _("上传的文件须放在 material_<材料编码> 中。"),
            {name: [_("不认识的文件字段。")] for name in unexpected},
        )
    file_digests = []
    for name in sorted(material_files):
        upload = material_files[name]
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        file_digests.append(f"{name}:{digest.hexdigest()}")
    request_fingerprint = fingerprint(
        *(f"{k}={post.get(k, '')}" for k in sorted(post.keys())), *file_digests
    )

    def submit():
        application, query_code = application_submit(
            service=service,
            applicant_name=post.get("applicant_name", ""),
            applicant_id_number=post.get("applicant_id_number", ""),
            applicant_phone=post.get("applicant_phone", ""),
            applicant_address=post.get("applicant_address", ""),
            fields=fields,
            files=material_files,
        )
        answer = {
            "case_number": application.case_number,
            "due_date": application.due_date.isoformat() if application.due_date else None,
            "status": application.status,
            "status_label": application.status_label,
            "deadline_explanation": application.deadline_explanation,
            "query_code": query_code,
        }
        return 201, answer

    # run_idempotent stores the key hashed and the query code sealed: a retry gets it back.
    status, answer = run_idempotent(
        scope="api-applications",
        key=request.headers.get("Idempotency-Key"),
        fingerprint=request_fingerprint,
        fn=submit,
    )
    no_store(response)
    return Status(status, answer)

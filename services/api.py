from ninja import Router

router = Router()


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
import hmac  # noqa: E402
import json  # noqa: E402
from datetime import date  # noqa: E402

from django.conf import settings  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
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


def _idempotency_secret(raw_key: str) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"idempotent-query-code:" + raw_key.encode(), "sha256"
    ).digest()


def _seal(code: str, raw_key: str) -> str:
    """The query code of a replayable answer, sealed with a one-time pad derived from the client's
    Idempotency-Key (which is stored only hashed): the database never holds it readable."""
    pad = _idempotency_secret(raw_key)
    data = code.encode()
    return bytes(a ^ b for a, b in zip(data, pad, strict=False)).hex()


def _unseal(sealed: str, raw_key: str) -> str:
    pad = _idempotency_secret(raw_key)
    data = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(data, pad, strict=False)).decode()


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
    raw_key = (request.headers.get("Idempotency-Key") or "").strip()[:100]
    fresh: dict[str, str] = {}

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
        }
        fresh["query_code"] = query_code
        return 201, dict(answer, sealed_query_code=_seal(query_code, raw_key) if raw_key else "")

    status, answer = run_idempotent(
        scope="api-applications",
        key=fingerprint("key", raw_key) if raw_key else None,
        fingerprint=request_fingerprint,
        fn=submit,
    )
    sealed = answer.pop("sealed_query_code", "")
    query_code = fresh.get("query_code") or (_unseal(sealed, raw_key) if sealed else "")
    no_store(response)
    return Status(status, dict(answer, query_code=query_code))

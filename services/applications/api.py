"""POST /api/v1/applications: apply online for a service item (在线受理), multipart."""

import hashlib
import json
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from portal.apiutils import ErrorOut
from portal.cases.errors import CaseValidationError
from portal.http import no_store
from portal.idempotency import fingerprint, run_idempotent
from portal.pages import public_q
from portal.security import ratelimit
from portal.security.inputs import refuse_bad_input
from portal.security.quotas import submission_quota
from services.models.guides import ServiceGuidePage

from .actions import application_submit

router = Router(tags=["applications"])


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
    operation_id="services_api_create_application",
    response={
        400: ErrorOut,
        413: ErrorOut,
        429: ErrorOut,
        201: ApplicationCreatedOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Apply online for a service item (在线受理)",
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
        ServiceGuidePage.objects.live()
        .filter(public_q())
        .filter(code=code)
        .select_related("organisation")
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
    refuse_bad_input(fields, field="fields")
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

    client = ratelimit.client_ip(request)
    upload_bytes = sum(upload.size for upload in material_files.values())

    def submit():
        submission_quota(
            client=client,
            applicant=post.get("applicant_id_number", ""),
            upload_bytes=upload_bytes,
        )
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

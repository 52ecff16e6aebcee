"""POST /api/v1/disclosure-requests: 依申请公开 (field names: DESIGN.md section 3)."""

import json

from ninja import Field, Router, Schema, Status

from portal.apiutils import ApiError, ErrorOut
from portal.errors import PortalError, RateLimited
from portal.idempotency import fingerprint, run_idempotent
from portal.security import ratelimit
from portal.security.quotas import submission_quota

from .actions import information_request_submit

router = Router(tags=["disclosure-requests"])


class DisclosureRequestIn(Schema):
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


class CaseCreatedOut(Schema):
    case_number: str
    query_code: str
    # An ISO 8601 date (a plain string keeps the schema independent of the date class).
    due_date: str | None = Field(None, description="ISO 8601 date, e.g. 2026-10-30")
    status: str


@router.post(
    "/disclosure-requests",
    operation_id="disclosure_api_create_disclosure_request",
    response={400: ErrorOut, 413: ErrorOut, 429: ErrorOut, 201: CaseCreatedOut, 422: ErrorOut},
    summary="Apply for government information (依申请公开)",
)
def create_disclosure_request(request, payload: DisclosureRequestIn):
    """Submit an application for government information. `applicant_type` is `natural_person`
    (needs `applicant_id_number`) or `legal_person` (needs `organisation_kind` and the 18-character
    `credit_code`). `form`: `paper`/`electronic`; `delivery`: `post` (needs `applicant_address`),
    `email` (needs `applicant_email`), `pickup`, `online`; `organisation`: the code of the body
    asked. Answers 201 with the case number and the query code (shown only this once) and the
    reply due date (20 working days after receipt). Honours `Idempotency-Key`."""
    data = payload.model_dump()

    client = ratelimit.client_ip(request)

    def create():
        submission_quota(
            client=client,
            applicant=data.get("applicant_id_number") or data.get("credit_code") or "",
        )
        case, query_code = information_request_submit(**data)
        return 201, {
            "case_number": case.case_number,
            "query_code": query_code,
            "due_date": case.due_date.isoformat() if case.due_date else None,
            "status": case.status,
        }

    try:
        status, body = run_idempotent(
            scope="disclosure-requests",
            key=request.headers.get("Idempotency-Key"),
            fingerprint=fingerprint(json.dumps(data, sort_keys=True, ensure_ascii=False)),
            fn=create,
        )
    except RateLimited:
        raise
    except PortalError as exc:
        raise ApiError(exc.status, exc.message, exc.errors) from None
    return Status(status, body)

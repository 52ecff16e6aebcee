from ninja import Router

router = Router()


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

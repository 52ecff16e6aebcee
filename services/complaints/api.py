"""POST /api/v1/complaints: 监督投诉 (field names: DESIGN.md section 3)."""

from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from portal.apiutils import ApiError, ErrorOut
from portal.errors import PortalError, RateLimited
from portal.idempotency import fingerprint, run_idempotent
from portal.security import ratelimit
from portal.security.quotas import submission_quota

from .actions import COMPLAINT_SUBMIT_LIMIT, MAX_CONTENT, MAX_NAME, MAX_SUBJECT, complaint_submit

router = Router(tags=["complaints"])


def _length(low: int, high: int) -> dict:
    # The bounds complaint_submit checks (with its own Chinese messages), stated in the schema.
    return {"json_schema_extra": {"minLength": low, "maxLength": high}}


class ComplaintIn(Schema):
    subject: str = Field(..., **_length(1, MAX_SUBJECT))
    content: str = Field(..., **_length(1, MAX_CONTENT))
    complainant_name: str = Field(..., **_length(1, MAX_NAME))
    complainant_phone: str
    complainant_email: str = ""
    organisation: str | None = None
    service_item: str | None = None
    category: str | None = None
    publish_consent: bool = False


class ComplaintCreatedOut(Schema):
    case_number: str
    query_code: str
    due_date: str | None
    status: str
    status_label: str
    organisation: str
    deadline_explanation: str


@router.post(
    "/complaints",
    operation_id="services_api_create_complaint",
    response={400: ErrorOut, 413: ErrorOut, 429: ErrorOut, 201: ComplaintCreatedOut, 422: ErrorOut},
    summary="Submit a complaint (监督投诉)",
)
def create_complaint(
    request,
    payload: ComplaintIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """监督投诉 about a service item, an organisation or staff conduct. `organisation` and
    `service_item` are codes, both optional: a complaint about a service item goes to its
    organisation; naming neither sends it to the city bureau. `category` (optional):
    `service_item`, `organisation` or `staff_conduct`. `publish_consent`: the complainant agrees
    that the reply may be published with personal data removed. Answers 201 with the case number
    and the query code (shown only this once). A retry with the same `Idempotency-Key` returns the
    first answer and creates nothing."""
    client = ratelimit.client_ip(request)

    def submit():
        if ratelimit.is_limited(COMPLAINT_SUBMIT_LIMIT, client):
            raise ApiError(429, _complaint_limit_message())
        submission_quota(client=client, applicant=payload.complainant_phone)
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
    except RateLimited:
        raise
    except PortalError as exc:
        raise ApiError(exc.status, exc.message, exc.errors) from None
    return Status(status, body)


def _complaint_limit_message() -> str:
    return _("提交过于频繁，请一小时后再试，或拨打监督投诉电话。")

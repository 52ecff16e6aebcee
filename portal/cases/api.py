"""The anonymous case endpoints every kind shares: status lookup, the rating (好差评) and the
applicant's withdrawal (撤回) where the kind allows it. Each takes the query code in the body
(never in the URL) and answers with Cache-Control: no-store."""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from portal.apiutils import ErrorOut
from portal.http import no_store
from portal.idempotency import fingerprint, run_idempotent
from portal.security import ratelimit

from .actions import case_withdraw
from .errors import InvalidTransition
from .kinds import workbench_kind
from .lookup import case_lookup, case_public_view
from .ratings import record_rating

router = Router(tags=["cases"])


class LookupIn(Schema):
    case_number: str
    query_code: str


class TimelineEntryOut(Schema):
    status: str
    status_label: str
    action: str
    at: datetime
    note: str


class MaskedApplicantOut(Schema):
    name: str
    id_number: str
    phone: str


class LookupOut(Schema):
    case_number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    submitted_at: datetime
    due_date: date | None
    due_date_provisional: bool = False  # 预计: next year's holiday schedule not entered yet
    deadline_explanation: str
    paused: bool
    overdue: bool
    closed_at: datetime | None
    timeline: list[TimelineEntryOut]
    result: str
    applicant: MaskedApplicantOut
    organisation: str


class RatingIn(Schema):
    # The bounds record_rating checks, with its own Chinese messages, stated in the schema.
    query_code: str
    score: int = Field(..., json_schema_extra={"minimum": 1, "maximum": 5})
    comment: str = Field("", json_schema_extra={"maxLength": 500})


class RatingOut(Schema):
    case_number: str
    score: int
    score_label: str
    comment: str
    created_at: datetime


@router.post(
    "/cases/lookup",
    operation_id="portal_case_api_lookup",
    response={200: LookupOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Case status lookup (办件查询)",
)
def lookup(request: HttpRequest, response: HttpResponse, payload: LookupIn):
    """The case for a case number and its query code: status, masked applicant, timeline, due
    date and how it was computed, result. A malformed number gets 422 with a specific message; an
    unknown number and a wrong code get the same 404; 429 with `Retry-After` after 30 failures
    per client in an hour, or while the case number waits out its backoff after failures (at
    most 5 minutes). Works for every case kind."""
    case = case_lookup(
        case_number=payload.case_number,
        query_code=payload.query_code,
        client=ratelimit.client_ip(request),
    )
    no_store(response)
    return Status(200, case_public_view(case))


@router.post(
    "/cases/{case_number}/rating",
    operation_id="portal_case_api_rate",
    response={201: RatingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Rate a finished case (好差评)",
)
def rate(request: HttpRequest, response: HttpResponse, case_number: str, payload: RatingIn):
    """Score 5 非常满意 … 1 非常不满意 and an optional comment, once per finished case (409 if the
    case is not finished or already rated). A wrong query code is a 404 and counts toward the
    lookup rate limit. Honours `Idempotency-Key`."""
    case = case_lookup(
        case_number=case_number, query_code=payload.query_code, client=ratelimit.client_ip(request)
    )

    def record():
        rating = record_rating(case=case, score=payload.score, comment=payload.comment)
        return 201, {
            "case_number": rating.case_number,
            "score": rating.score,
            "score_label": str(rating.get_score_display()),
            "comment": rating.comment,
            "created_at": rating.created_at.isoformat(),
        }

    no_store(response)
    status, answer = run_idempotent(
        scope="api-rating",
        key=request.headers.get("Idempotency-Key"),
        fingerprint=fingerprint(case.case_number, str(payload.score), payload.comment),
        fn=record,
    )
    return Status(status, answer)


class WithdrawIn(Schema):
    query_code: str
    reason: str = Field("", max_length=500, description="why (required for disclosure requests)")


class WithdrawOut(Schema):
    case_number: str
    status: str
    status_label: str
    closed_at: datetime | None


@router.post(
    "/cases/{case_number}/withdraw",
    operation_id="portal_case_api_withdraw",
    response={200: WithdrawOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Withdraw a case (撤回申请)",
)
def withdraw(request: HttpRequest, response: HttpResponse, case_number: str, payload: WithdrawIn):
    """The applicant withdraws a running case of a kind that allows it online (applications,
    disclosure requests). A disclosure request needs a `reason`; it is then closed as 申请人撤回
    (counted under （六）3 其他 in the annual report). 409 if the kind does not allow it or the
    case is already closed; 404 for an unknown number or a wrong code (counts toward the lookup
    rate limit). Honours `Idempotency-Key`."""
    case = case_lookup(
        case_number=case_number, query_code=payload.query_code, client=ratelimit.client_ip(request)
    )

    def run():
        if not workbench_kind(case.KIND).citizen_withdraw:
            raise InvalidTransition(
                _("该类办件不支持网上撤回，请联系承办机构。"), {"action": [_("不支持网上撤回。")]}
            )
        updated = case_withdraw(case, note=payload.reason)
        return 200, {
            "case_number": updated.case_number,
            "status": updated.status,
            "status_label": updated.status_label,
            "closed_at": updated.closed_at.isoformat() if updated.closed_at else None,
        }

    no_store(response)
    status, answer = run_idempotent(
        scope="api-withdraw",
        key=request.headers.get("Idempotency-Key"),
        fingerprint=fingerprint(case.case_number, payload.reason),
        fn=run,
    )
    return Status(status, answer)

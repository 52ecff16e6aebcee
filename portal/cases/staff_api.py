"""The staff case API (`/api/v1/staff/...`): the workbench for other systems, Bearer token auth.

Who: a token belongs to one staff member (`StaffProfile`), and only a case handler's token works
(portal/cases/permissions.py: `handle_case`); an editor's or reviewer's token gets 403 with the
reason in Chinese. Scope as in the admin workbench, always from the token's own organisation (also
for a superuser's token: a machine client works for one organisation): that organisation and the
organisations below it. A case outside it does not exist for the caller: 404 on the case and on its
actions alike (answering 404 does not reveal that the number exists elsewhere).

The case answer masks the applicant's ID number and phone; `POST …/personal-data` gives them in
full (`view_personal_data`). Both are written to the access log (`CaseAccessLog`)."""

import json
from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from portal.apiutils import MAX_PAGE, ApiError, ErrorOut, StaffTokenAuth
from portal.errors import PortalError
from portal.http import no_store
from portal.idempotency import fingerprint, run_idempotent
from portal.organisations import subtree_ids

from .actions import case_access_record
from .errors import CaseNotFound
from .models import CaseAccess, CaseAccessChannel
from .permissions import case_refusal, personal_data_refusal
from .selectors import staff_case_get, staff_case_page, staff_case_timeline

router = Router(tags=["staff"], auth=StaffTokenAuth())


def _scope(request) -> set[int]:
    """The caller's organisations; 403 unless the token's user is a case handler. Every endpoint
    of this router starts here."""
    refusal = case_refusal(request.staff.user)
    if refusal is not None:
        raise ApiError(403, refusal)
    return subtree_ids(request.staff.organisation)


def _case_error(exc: PortalError) -> ApiError:
    status = 404 if isinstance(exc, CaseNotFound) else exc.status
    return ApiError(status, exc.message, exc.errors)


# ---------------------------------------------------------------------------------------------
# GET /staff/cases


class StaffCaseFilters(Schema):
    status: str | None = Field(None, description="a status value, e.g. submitted, accepted")
    overdue: bool | None = Field(None, description="true: only overdue; false: none overdue")
    due_soon: bool | None = Field(None, description="true: due within 3 days, not yet overdue")
    kind: Literal["application", "disclosure_request", "complaint", "rectification"] | None = None
    service_item: str | None = Field(None, description="service item code (applications)")
    q: str | None = Field(None, description="case number or a part of it")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=100)


class StaffCaseItemOut(Schema):
    case_number: str
    kind: str
    status: str
    status_label: str
    service_item: str | None
    submitted_at: datetime
    due_date: date | None
    due_date_provisional: bool = False
    overdue: bool
    due_soon: bool
    version: int


class StaffCaseListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[StaffCaseItemOut]


def _item(case) -> dict:
    return {
        "case_number": case.case_number,
        "kind": case.KIND,
        "status": case.status,
        "status_label": case.status_label,
        "service_item": case.wb_service_item,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "due_date_provisional": case.due_date_provisional,
        "overdue": case.overdue,
        "due_soon": case.due_soon,
        "version": case.version,
    }


@router.get(
    "/staff/cases",
    operation_id="portal_staff_api_staff_case_list",
    response={200: StaffCaseListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="List the caller's cases (办件列表)",
)
def staff_case_list(request, filters: Query[StaffCaseFilters]):
    """Cases of every kind handled by the caller's organisation and the organisations below it,
    running cases first by due date (overdue first), then closed ones. No applicant data here:
    that is only on the case itself."""
    params = {
        name: ("true" if value else "false") if isinstance(value, bool) else value
        for name, value in filters.dict().items()
        if value is not None and name not in ("page", "page_size")
    }
    listing = staff_case_page(
        organisation_ids=_scope(request),
        params=params,
        page=filters.page,
        per_page=filters.page_size,
    )
    if listing.page is None:
        raise ApiError(422, _("筛选条件有误。"), listing.errors)
    if filters.page > listing.page.paginator.num_pages and listing.page.paginator.count:
        raise ApiError(422, _("页码超出范围。"), {"page": [_("页码超出范围。")]})
    return {
        "count": listing.page.paginator.count,
        "page": listing.page.number,
        "pages": listing.page.paginator.num_pages,
        "page_size": filters.page_size,
        "results": [_item(c) for c in listing.cases],
    }


# ---------------------------------------------------------------------------------------------
# GET /staff/cases/{case_number}


class ApplicantOut(Schema):
    name: str
    id_number: str = Field(description="masked (110***********1234) unless from /personal-data")
    phone: str = Field(description="masked (138****5678) unless from /personal-data")
    email: str
    masked: bool = Field(description="whether id_number and phone are masked")


class OrganisationRefOut(Schema):
    code: str
    name: str


class FileOut(Schema):
    id: int
    material_code: str
    material_name: str
    original_name: str
    content_type: str
    size: int
    round: int
    uploaded_at: datetime


class EventOut(Schema):
    action: str
    action_label: str
    status: str
    status_label: str
    at: datetime
    note: str
    public: bool
    actor: str | None
    organisation: str | None


class ActionOut(Schema):
    action: str
    label: str
    note_required: bool


class StaffCaseOut(StaffCaseItemOut):
    organisation: OrganisationRefOut
    applicant: ApplicantOut
    deadline_explanation: str
    closed_at: datetime | None
    result: str
    details: dict = Field(description="the kind's own data, e.g. an application's fields")
    files: list[FileOut]
    timeline: list[EventOut]
    available_actions: list[ActionOut]


def _case_out(case, wk) -> dict:
    case.wb_service_item = wk.service_item(case)
    deadline = case.deadline()
    return {
        **_item(case),
        "organisation": {"code": case.organisation.code, "name": case.organisation.name},
        "applicant": case.staff_applicant(),
        "deadline_explanation": case.deadline_explanation or deadline.explanation,
        "closed_at": case.closed_at,
        "result": case.result,
        "details": wk.api_extra(case) if wk.api_extra else {},
        "files": wk.files(case) if wk.files else [],
        "timeline": [
            {
                "action": e.action,
                "action_label": e.action_label,
                "status": e.status_to,
                "status_label": e.status_label,
                "at": e.at,
                "note": e.note,
                "public": e.public,
                "actor": e.actor.get_username() if e.actor else None,
                "organisation": e.actor_organisation.name if e.actor_organisation else None,
            }
            for e in staff_case_timeline(case)
        ],
        "available_actions": [
            {"action": t.action, "label": str(t.label), "note_required": t.note_required}
            for t in case.available_actions("staff")
        ],
    }


def _get(request, case_number):
    try:
        return staff_case_get(case_number=case_number, organisation_ids=_scope(request))
    except Http404:
        raise ApiError(404, _("未找到该办件。")) from None


@router.get(
    "/staff/cases/{case_number}",
    operation_id="portal_staff_api_staff_case_detail",
    response={200: StaffCaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One case, with its timeline and actions (办件详情); ID number and phone masked",
)
def staff_case_detail(request, case_number: str, response: HttpResponse):
    """The case with the applicant's ID number and phone masked (full values: `POST
    /staff/cases/{case_number}/personal-data`). Written to the access log."""
    case, wk = _get(request, case_number)
    case_access_record(
        user=request.staff.user, case=case, access=CaseAccess.VIEW, channel=CaseAccessChannel.API
    )
    no_store(response)
    return _case_out(case, wk)


# ---------------------------------------------------------------------------------------------
# POST /staff/cases/{case_number}/personal-data


class PersonalDataOut(Schema):
    case_number: str
    name: str
    id_number: str
    phone: str
    email: str


@router.post(
    "/staff/cases/{case_number}/personal-data",
    operation_id="portal_staff_api_staff_case_personal_data",
    response={200: PersonalDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The applicant's full ID number and phone (查看完整信息), audited",
)
def staff_case_personal_data(request, case_number: str, response: HttpResponse):
    """One deliberate request per case for the applicant's unmasked ID number and phone. Needs
    `view_personal_data` (403 otherwise); written to the access log (who, when, which case, from
    which organisation). Never cached."""
    refusal = personal_data_refusal(request.staff.user)
    if refusal is not None:
        raise ApiError(403, refusal)
    case, _wk = _get(request, case_number)
    case_access_record(
        user=request.staff.user, case=case, access=CaseAccess.UNMASK, channel=CaseAccessChannel.API
    )
    no_store(response)
    full = case.staff_applicant(unmasked=True)
    return {
        "case_number": case.case_number,
        "name": full["name"],
        "id_number": full["id_number"],
        "phone": full["phone"],
        "email": full["email"],
    }


# ---------------------------------------------------------------------------------------------
# POST /staff/cases/{case_number}/actions


class ActionIn(Schema):
    action: str = Field(
        ..., max_length=40, description="accept, reject, request_correction, complete, …"
    )
    version: int = Field(..., ge=1, description="the case version the decision was based on")
    note: str = Field("", max_length=2000)
    outcome: Literal["approved", "denied"] | None = Field(None, description="complete")
    result: str | None = Field(None, max_length=2000, description="complete")
    delivery: Literal["pickup", "post", "online"] | None = Field(None, description="complete")
    items: list[str] | None = Field(None, max_length=50, description="request_correction")
    period_days: int | None = Field(
        None, description="request_correction (disclosure request): 补正 period, working days"
    )
    reply_type: str | None = Field(None, max_length=20, description="reply (disclosure request)")
    reason: str | None = Field(
        None, max_length=500, description="reply / extend (disclosure request), reject (complaint)"
    )
    letter: str | None = Field(None, max_length=20000, description="reply (disclosure request)")
    days: int | None = Field(None, description="extend (disclosure request)")
    third_party: str | None = Field(None, max_length=200, description="start_consultation")
    opinion: str | None = Field(None, max_length=500, description="end_consultation")
    reply: str | None = Field(None, max_length=5000, description="reply (complaint)")


class ActionResultOut(Schema):
    case_number: str
    status: str
    status_label: str
    version: int
    due_date: date | None


@router.post(
    "/staff/cases/{case_number}/actions",
    operation_id="portal_staff_api_staff_case_act",
    response={
        200: ActionResultOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Act on a case (受理、不予受理、补正、办结 …)",
)
def staff_case_act(request, case_number: str, body: ActionIn):
    """Apply an action. `version` must be the case's current version (optimistic locking):
    409 for a stale version or an action the case's state does not allow, 422 for missing or
    invalid data, 404 for a case outside the caller's organisations. A retry with the same
    `Idempotency-Key` returns the first answer and changes nothing."""
    payload = body.dict()
    data = {
        key: payload[key]
        for key in (
            "outcome",
            "result",
            "delivery",
            "items",
            "period_days",
            "reply_type",
            "reason",
            "letter",
            "days",
            "third_party",
            "opinion",
            "reply",
        )
        if payload[key] is not None
    }

    scope = _scope(request)

    def run() -> tuple[int, dict]:
        try:
            case, wk = staff_case_get(case_number=case_number, organisation_ids=scope)
        except Http404:
            raise CaseNotFound(_("未找到该办件。")) from None
        updated = wk.act(
            case,
            action=body.action,
            actor=request.staff.user,
            organisation_ids=scope,
            version=body.version,
            note=body.note,
            data=data,
        )
        return 200, {
            "case_number": updated.case_number,
            "status": updated.status,
            "status_label": updated.status_label,
            "version": updated.version,
            "due_date": updated.due_date.isoformat() if updated.due_date else None,
        }

    try:
        _status, response = run_idempotent(
            scope=f"staff-action:{request.staff.pk}",
            key=request.headers.get("Idempotency-Key"),
            fingerprint=fingerprint(
                case_number.strip().upper(), json.dumps(payload, sort_keys=True)
            ),
            fn=run,
        )
    except PortalError as exc:
        raise _case_error(exc) from None
    return response  # always 200: run() answers 200 or raises

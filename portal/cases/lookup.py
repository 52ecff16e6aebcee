"""The anonymous status lookup (办件查询): a case number and its query code → the case, and the
masked view of a case that the /cx/ page and the API show.

Malformed numbers are refused with a specific message before any lookup; an unknown number and a
wrong code get the same answer; failed tries are limited per case number and per client."""

from typing import Any

from django.utils.translation import gettext as _

from portal.security import ratelimit

from .codes import check_query_code, normalise_query_code
from .errors import CaseNotFound, CaseValidationError, LookupRateLimited
from .models import TrackedCase, case_models
from .numbers import CaseKind, normalise_case_number, parse_case_number

LOOKUP_LIMIT_PER_CASE = ratelimit.Limit(
    "lookup-case", 10, 3600
)  # failed tries per case number per hour
LOOKUP_LIMIT_PER_CLIENT = ratelimit.Limit(
    "lookup-client", 30, 3600
)  # failed tries per client per hour


def case_lookup(*, case_number: str, query_code: str, client: str) -> TrackedCase:
    """The case for a number and its query code. Malformed numbers are refused with a specific
    message (no lookup is made); an unknown number and a wrong code get the same CaseNotFound; too
    many failures per case number or per client get LookupRateLimited."""
    number = normalise_case_number(case_number)
    kind, _day, _serial = parse_case_number(number)
    if not normalise_query_code(query_code):
        raise CaseValidationError(_("请输入查询码。"), {"query_code": [_("此项为必填项。")]})
    if ratelimit.is_limited(LOOKUP_LIMIT_PER_CASE, number) or ratelimit.is_limited(
        LOOKUP_LIMIT_PER_CLIENT, client
    ):
        raise LookupRateLimited(
            _("查询失败次数过多，请一小时后再试。如忘记查询码，请携带身份证件到受理窗口查询。")
        )
    model = case_models().get(kind)
    case = model.objects.filter(case_number=number).first() if model else None
    if not check_query_code(query_code, case.query_code_hash if case else None) or case is None:
        ratelimit.hit(LOOKUP_LIMIT_PER_CASE, number)
        ratelimit.hit(LOOKUP_LIMIT_PER_CLIENT, client)
        raise CaseNotFound(_("受理编号或查询码不正确。"))
    return case


def case_public_view(case: TrackedCase) -> dict[str, Any]:
    """What the citizen may see: the API's lookup answer and the /cx/ page's context."""
    events = [e for e in case.timeline() if e.public]
    deadline = case.deadline()
    return {
        "case_number": case.case_number,
        "kind": case.KIND,
        "kind_label": str(CaseKind(case.KIND).label),
        "status": case.status,
        "status_label": case.status_label,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "deadline_explanation": case.deadline_explanation or deadline.explanation,
        "paused": deadline.paused,
        "closed_at": case.closed_at,
        "overdue": case.overdue,
        "timeline": [
            {
                "status": e.status_to,
                "status_label": e.status_label,
                "action": e.action_label,
                "at": e.at,
                "note": e.note,
            }
            for e in events
        ],
        "result": case.result if case.is_closed else "",
        "applicant": case.masked_applicant(),
        "organisation": case.organisation.name,
    }

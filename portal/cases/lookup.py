"""The anonymous status lookup (办件查询): a case number and its query code → the case, and the
masked view of a case that the /cx/ page and the API show.

Malformed numbers are refused with a specific message before any lookup; an unknown number and a
wrong code get the same answer; failed tries are limited per client and slow down further tries on the case number (a
backoff of at most LOOKUP_CASE_MAX_DELAY, so the holder of the code is never locked out for long)."""

import hashlib
import time
from typing import Any

from django.utils.translation import gettext as _

from portal.security import ratelimit

from .codes import check_query_code, hash_query_code, needs_rehash, normalise_query_code
from .errors import CaseNotFound, CaseValidationError, LookupRateLimited
from .models import TrackedCase, case_models
from .numbers import CaseKind, normalise_case_number, parse_case_number

# Failed tries per client per hour: a scanner is stopped after 30, whatever numbers it tries.
LOOKUP_LIMIT_PER_CLIENT = ratelimit.Limit("lookup-client", 30, 3600)
# Per case number, failures only slow down: the first LOOKUP_CASE_FREE_FAILURES cost nothing, each
# further one makes every lookup of that number wait 2, 4, 8 … seconds, at most
# LOOKUP_CASE_MAX_DELAY (5 minutes) — so strangers failing on a case never refuse its holder for
# longer than that, while one number can be tried at most ~12 times an hour (the code has 31¹⁰
# values). The count fades after LOOKUP_CASE_MEMORY without failures; a success clears it.
LOOKUP_CASE_FREE_FAILURES = 5
LOOKUP_CASE_MAX_DELAY = 300
LOOKUP_CASE_MEMORY = 3600


def _case_keys(number: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"lookup-case:{number}".encode()).hexdigest()[:32]
    return f"lb:fails:{digest}", f"lb:until:{digest}"


def lookup_case_delay(failures: int) -> int:
    """Seconds every lookup of a case number waits after its `failures`-th failure."""
    excess = failures - LOOKUP_CASE_FREE_FAILURES
    if excess <= 0:
        return 0
    return min(LOOKUP_CASE_MAX_DELAY, 2**excess)


def _case_state(number: str) -> tuple[bool, int]:
    """(whether the number has failures on record, the seconds it must still wait): one read."""
    fails_key, until_key = _case_keys(number)
    found = ratelimit._cache().get_many([fails_key, until_key])
    until = found.get(until_key)
    return bool(found), (max(0, int(until - time.time()) + 1) if until else 0)


def _case_failed(number: str) -> None:
    cache = ratelimit._cache()
    fails_key, until_key = _case_keys(number)
    cache.add(fails_key, 0, timeout=LOOKUP_CASE_MEMORY)
    try:
        failures = cache.incr(fails_key)
    except ValueError:
        failures = 1
        cache.set(fails_key, 1, timeout=LOOKUP_CASE_MEMORY)
    cache.touch(fails_key, LOOKUP_CASE_MEMORY)
    delay = lookup_case_delay(failures)
    if delay:
        cache.set(until_key, time.time() + delay, timeout=delay + 1)


def _case_succeeded(number: str) -> None:
    ratelimit._cache().delete_many(list(_case_keys(number)))


def case_lookup(*, case_number: str, query_code: str, client: str) -> TrackedCase:
    """The case for a number and its query code. Malformed numbers are refused with a specific
    message (no lookup is made); an unknown number and a wrong code get the same CaseNotFound; a
    client with too many failures, or a number inside its backoff after failures, gets
    LookupRateLimited with the seconds to wait. A legacy or old-key hash is upgraded on success."""
    number = normalise_case_number(case_number)
    kind, _day, _serial = parse_case_number(number)
    if not normalise_query_code(query_code):
        raise CaseValidationError(_("请输入查询码。"), {"query_code": [_("此项为必填项。")]})
    if ratelimit.is_limited(LOOKUP_LIMIT_PER_CLIENT, client):
        raise LookupRateLimited(
            _("查询失败次数过多，请一小时后再试。如忘记查询码，请携带身份证件到受理窗口查询。"),
            retry_after=ratelimit.retry_after(LOOKUP_LIMIT_PER_CLIENT),
        )
    failures_on_record, wait = _case_state(number)
    if wait:
        raise LookupRateLimited(
            _("该受理编号近期查询失败次数较多，请%(s)d秒后再试。") % {"s": wait},
            retry_after=wait,
        )
    model = case_models().get(kind)
    case = model.objects.filter(case_number=number).first() if model else None
    if not check_query_code(query_code, case.query_code_hash if case else None) or case is None:
        _case_failed(number)
        ratelimit.hit(LOOKUP_LIMIT_PER_CLIENT, client)
        raise CaseNotFound(_("受理编号或查询码不正确。"))
    if failures_on_record:
        _case_succeeded(number)
    if needs_rehash(case.query_code_hash):
        case.query_code_hash = hash_query_code(query_code)
        type(case).objects.filter(pk=case.pk).update(query_code_hash=case.query_code_hash)
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
        "due_date_provisional": case.due_date_provisional,
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

"""Which cases this browser session may see: the one scheme behind /cx/, its follow-ups (补正,
好差评, 撤回) and the kinds' own pages for the applicant (a disclosure request's reply).

A session earns access to a case by proving its query code (the lookup) or by submitting it (the
confirmation page); access lasts ACCESS_SECONDS and covers at most MAX_CASES cases. The session
holds case numbers and expiry times only, never a query code."""

import time

from .errors import CaseNumberError
from .models import case_models
from .numbers import parse_case_number

SESSION_KEY = "case-access"
CURRENT_KEY = "case-current"
ACCESS_SECONDS = 30 * 60
MAX_CASES = 10


def _granted(request) -> dict[str, float]:
    now = time.time()
    return {k: v for k, v in (request.session.get(SESSION_KEY) or {}).items() if v > now}


def grant(request, case_number: str) -> None:
    """This session may see `case_number` for the next ACCESS_SECONDS; it becomes the current case
    of /cx/."""
    access = _granted(request)
    access.pop(case_number, None)
    access[case_number] = time.time() + ACCESS_SECONDS
    request.session[SESSION_KEY] = dict(list(access.items())[-MAX_CASES:])
    request.session[CURRENT_KEY] = case_number


def may_see(request, case_number: str) -> bool:
    return case_number in _granted(request)


def leave(request) -> None:
    """/cx/ shows the lookup form again (the access itself expires on its own)."""
    request.session.pop(CURRENT_KEY, None)


def current_case(request):
    """The case /cx/ shows to this session (the one looked up or submitted last), or None."""
    number = request.session.get(CURRENT_KEY)
    if not number or not may_see(request, number):
        return None
    try:
        kind, _day, _serial = parse_case_number(number)
    except CaseNumberError:
        return None
    model = case_models().get(kind)
    return model.objects.filter(case_number=number).first() if model else None

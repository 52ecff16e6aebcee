"""Booking references: `YY<YYYYMMDD><6-digit serial><check>`, e.g. YY202612030000125, the same
shape and ISO 7064 MOD 11-2 check character as case numbers (portal/cases/numbers.py), so a typo is
refused before any lookup. Serials come from the case machinery's per-day sequence."""

import re
from datetime import date

from django.utils.translation import gettext as _

from portal.cases.models import CaseSequence
from portal.cases.numbers import _check_char, normalise_case_number

from .errors import AppointmentInvalid

PREFIX = "YY"
SEQUENCE_KIND = "appointment"
REFERENCE_RE = re.compile(r"^YY([0-9]{8})([0-9]{6})([0-9X])$")


def format_reference(day: date, serial: int) -> str:
    body = f"{PREFIX}{day:%Y%m%d}{serial:06d}"
    return body + _check_char(body)


def next_reference(day: date) -> str:
    """Take the next reference of `day`; inside the caller's transaction (locks the day's row)."""
    CaseSequence.objects.bulk_create(
        [CaseSequence(kind=SEQUENCE_KIND, day=day)], ignore_conflicts=True
    )
    seq = CaseSequence.objects.select_for_update().get(kind=SEQUENCE_KIND, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return format_reference(day, seq.last)


def parse_reference(value: str) -> str:
    """The normalised reference, or AppointmentInvalid with a specific message."""
    reference = normalise_case_number(value)
    match = REFERENCE_RE.match(reference)
    if not match or _check_char(reference[:-1]) != reference[-1]:
        raise AppointmentInvalid(
            _("预约号格式不正确：应为 YY 加8位日期、6位序号和1位校验码，共17位。"),
            {"reference": [_("预约号格式不正确。")]},
        )
    return reference

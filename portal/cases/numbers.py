"""Case numbers: `<kind prefix><YYYYMMDD><6-digit serial><check>` (SQ application, GK disclosure
request, TS complaint, ZG rectification after a supervisor's visit), e.g. SQ20261129000123X. The check character is ISO 7064 MOD 11-2 over the
number (letters as two digits), so any single-character typo or adjacent swap is refused by
`parse_case_number` with a specific message before any lookup."""

import re
from datetime import date

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import CaseNumberError


class CaseKind(models.TextChoices):
    APPLICATION = "application", gettext_lazy("办件申请")
    DISCLOSURE_REQUEST = "disclosure_request", gettext_lazy("政府信息公开申请")
    COMPLAINT = "complaint", gettext_lazy("监督投诉")
    RECTIFICATION = "rectification", gettext_lazy("明察暗访整改")


KIND_PREFIX = {
    CaseKind.APPLICATION: "SQ",
    CaseKind.DISCLOSURE_REQUEST: "GK",
    CaseKind.COMPLAINT: "TS",
    CaseKind.RECTIFICATION: "ZG",
}
PREFIX_KIND = {prefix: kind for kind, prefix in KIND_PREFIX.items()}
CASE_NUMBER_RE = re.compile(r"^([A-Z]{2})([0-9]{8})([0-9]{6})([0-9X])$")


def _check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 over the body, letters mapped to two digits (A=10 … Z=35)."""
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in body)
    total = 0
    for d in digits:
        total = (total + int(d)) * 2 % 11
    return "0123456789X"[(12 - total) % 11]


def format_case_number(kind: str, day: date, serial: int) -> str:
    body = f"{KIND_PREFIX[CaseKind(kind)]}{day:%Y%m%d}{serial:06d}"
    return body + _check_char(body)


def normalise_case_number(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def parse_case_number(value: str) -> tuple[str, date, int]:
    """(kind, date, serial) of a case number; CaseNumberError with a specific message if malformed."""
    number = normalise_case_number(value)
    match = CASE_NUMBER_RE.match(number)
    if not match:
        raise CaseNumberError(
            _(
                "受理编号格式不正确：应为2位字母、8位日期、6位序号和1位校验码，共17位，如 SQ20261129000123X。"
            ),
            {"case_number": [_("受理编号格式不正确。")]},
        )
    prefix, day_text, serial, check = match.groups()
    if prefix not in PREFIX_KIND:
        raise CaseNumberError(
            _("受理编号开头应为 SQ（办件）、GK（信息公开申请）、TS（投诉）或 ZG（整改）。"),
            {"case_number": [_("受理编号类型不正确。")]},
        )
    if _check_char(number[:-1]) != check:
        raise CaseNumberError(
            _("受理编号校验码不符，请核对是否有输错或颠倒的字符。"),
            {"case_number": [_("受理编号校验码不符。")]},
        )
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        raise CaseNumberError(
            _("受理编号中的日期无效。"), {"case_number": [_("受理编号中的日期无效。")]}
        ) from None
    return PREFIX_KIND[prefix], day, int(serial)

"""Personal data: validation of Chinese ID numbers and phones, and masking for pages, logs and API."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# ASCII digits only: Python's \d also matches other scripts' digits (١٢٣), which int() reads.
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_id_number(value: str) -> str:
    """Validate an 18-digit resident ID number (GB 11643): format, birth date and check digit."""
    value = normalise_id_number(value)
    if len(value) != 18:
        raise ValidationError(
            _("身份证号码应为18位，当前为%(n)d位。") % {"n": len(value)}, code="length"
        )
    if not ID_RE.match(value):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X。"), code="format")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="birth_date") from None
    if birth.year < 1900 or birth > date.today():
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="birth_date")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="checksum")
    return value


def normalise_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_phone(value: str) -> str:
    """A mainland mobile number (11 digits, 1[3-9]...) or a landline with area code (021-12345678)."""
    value = normalise_phone(value)
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return value
    raise ValidationError(
        _("请输入有效的联系电话：11位手机号码，或带区号的固定电话（如021-12345678）。"),
        code="phone",
    )


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; Latin names keep the first letter."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    phone = normalise_phone(phone)
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(value: str) -> str:
    value = normalise_id_number(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Patterns used to scrub free text (logs, published complaint replies).
_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub_text(text: str) -> str:
    """Mask ID numbers and mobile numbers wherever they appear in free text."""
    text = _ID_IN_TEXT.sub(lambda m: m.group(0)[:3] + "*" * 11 + m.group(0)[-4:], text)
    return _MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3), text)

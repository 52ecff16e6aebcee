"""Dates as Chinese pages and messages write them: 2026年11月29日 (ISO 8601 stays for the API and
`datetime` attributes). Templates use the same formats through the `cn_date` / `cn_datetime`
filters (portal/templatetags/portal_format.py)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"


def cn_date(value: date | datetime | None) -> str:
    """2026年11月29日; a datetime is shown in local time; None is ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATE_FORMAT)


def cn_datetime(value: datetime | None) -> str:
    """2026年11月29日 14:05, in local time; None is ""."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATETIME_FORMAT)


def cn_month_day(value: date, *, year: int) -> str:
    """11月29日 within `year`, else the whole date."""
    return date_format(value, "n月j日" if value.year == year else DATE_FORMAT)

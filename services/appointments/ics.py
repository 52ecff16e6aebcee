"""The booking as a calendar file (RFC 5545): one VEVENT at the centre, in Beijing time."""

from datetime import UTC

from django.utils import timezone

from .models import Appointment


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def appointment_ics(appointment: Appointment, *, site_name: str) -> str:
    slot, centre = appointment.slot, appointment.bookable.centre

    def utc(value):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sunshine Portal//appointments//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.reference}@sunshine-portal",
        f"DTSTAMP:{utc(timezone.now())}",
        f"DTSTART:{utc(slot.start)}",
        f"DTEND:{utc(slot.end)}",
        "SUMMARY:" + _escape(f"{appointment.guide.title}（预约号{appointment.reference}）"),
        "LOCATION:" + _escape(f"{centre.title} {centre.address}"),
        "DESCRIPTION:"
        + _escape(f"{site_name}预约办理。请携带身份证件按时到场。咨询电话：{centre.phone}"),
        "BEGIN:VALARM",
        "TRIGGER:-PT1H",
        "ACTION:DISPLAY",
        "DESCRIPTION:" + _escape(appointment.guide.title),
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

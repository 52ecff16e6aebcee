"""Notifications to applicants by SMS and email, sent as a background task after commit.

    notify(phone="13800138000", email=None, template="case_accepted", context={...})

renders `templates/notify/<template>.txt` now (in the current language, so dates and labels are
final) and, once the surrounding transaction commits, enqueues `send_notification` with plain
strings only (JSON-serialisable, as the database task backend requires). Nothing is sent for a
rolled-back change.

SMS goes through the backend named by `settings.NOTIFY_SMS_BACKEND`: `ConsoleSMSBackend` (dev:
logs one line, phone masked), `RecordingSMSBackend` (tests: appends to `outbox`, cleared by
`reset_outbox()`), a real gateway adapter in production later (same `send(*, phone, message)`).
Email goes through Django's mail (`MAILERS`). Personal data never reaches the logs unmasked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from .privacy import MOBILE_RE, mask_phone, normalise_phone, scrub_text

logger = logging.getLogger(__name__)


class SMSBackend(Protocol):
    def send(self, *, phone: str, message: str) -> None: ...


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    message: str


class ConsoleSMSBackend:
    """Development: the message goes to the log, the phone masked."""

    def send(self, *, phone: str, message: str) -> None:
        logger.info("短信 → %s：%s", mask_phone(phone), scrub_text(message))


outbox: list[SMSMessage] = []


def reset_outbox() -> None:
    outbox.clear()


class RecordingSMSBackend:
    """Tests: messages are kept in `portal.notify.outbox`, like `django.core.mail.outbox`."""

    def send(self, *, phone: str, message: str) -> None:
        outbox.append(SMSMessage(phone=phone, message=message))


def get_sms_backend() -> SMSBackend:
    path = getattr(settings, "NOTIFY_SMS_BACKEND", "portal.notify.ConsoleSMSBackend")
    return import_string(path)()


class NotificationError(Exception):
    """Sending failed; the message says which channel, never to whom."""


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


@task
def send_notification(
    *, phone: str | None, email: str | None, subject: str, message: str
) -> dict[str, bool]:
    """Deliver one rendered message. Failures are logged masked and re-raised without personal
    data, so the task backend records a failed result that is safe to log."""
    sent = {"sms": False, "email": False}
    if phone:
        try:
            get_sms_backend().send(phone=phone, message=message)
        except Exception as exc:
            logger.warning("短信发送失败 → %s：%s", mask_phone(phone), type(exc).__name__)
            raise NotificationError(gettext("短信发送失败。")) from None
        sent["sms"] = True
    if email:
        try:
            send_mail(subject, message, None, [email])
        except Exception as exc:
            logger.warning("邮件发送失败 → %s：%s", _mask_email(email), type(exc).__name__)
            raise NotificationError(gettext("邮件发送失败。")) from None
        sent["email"] = True
    return sent


def render_message(template: str, context: dict) -> str:
    """The message for `templates/notify/<template>.txt`, on one line (SMS has no layout)."""
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""), **context}
    text = render_to_string(f"notify/{template}.txt", context)
    return "".join(line.strip() for line in text.splitlines())


def notify(*, phone: str | None, email: str | None, template: str, context: dict) -> None:
    """Tell an applicant by SMS and/or email once the current transaction commits.

    `context` is for the template (typically case_number, status_label, due_date, note,
    service_name, phone — the phone to call for questions). A phone that is not a mainland mobile
    number gets no SMS. Raises TemplateDoesNotExist at once for an unknown template."""
    message = render_message(template, context)
    site = getattr(settings, "WAGTAIL_SITE_NAME", "")
    if context.get("case_number"):
        subject = gettext("【%(site)s】办件%(case_number)s进度通知") % {
            "site": site,
            "case_number": context["case_number"],
        }
    else:
        subject = gettext("【%(site)s】通知") % {"site": site}
    phone = normalise_phone(phone or "") or None
    if phone and not MOBILE_RE.match(phone):
        logger.info("不是手机号码，不发短信：%s", mask_phone(phone))
        phone = None
    email = (email or "").strip() or None
    if not (phone or email):
        return

    def enqueue() -> None:
        # The change is committed by now: a queue failure is logged (masked), not raised.
        try:
            send_notification.enqueue(phone=phone, email=email, subject=subject, message=message)
        except Exception as exc:
            logger.error(
                "通知未能入队（%s，%s）：%s",
                mask_phone(phone) if phone else "-",
                _mask_email(email) if email else "-",
                type(exc).__name__,
            )

    transaction.on_commit(enqueue)

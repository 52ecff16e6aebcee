"""How one message leaves the portal: the SMS backends and mail, and what a failure means.

An SMS backend has one method, `send(*, phone, message, template="", params=None)`: `message` is
the rendered text, `template` our template name (e.g. `case_accepted`) and `params` its plain-string
values, for gateways that send registered templates instead of free text. It returns nothing and
raises `DeliveryError` (retryable or not) when the message did not go out; any other exception is
treated as retryable. Backends: `ConsoleSMSBackend` (dev: one log line, phone masked),
`RecordingSMSBackend` (tests: `outbox`), `portal.notify.gateway.HttpSMSBackend` (production: a real
gateway over signed HTTP).

Every error text here is safe to store and show: it names the channel and the cause, never the
recipient."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from portal.privacy import mask_phone, scrub_text

logger = logging.getLogger("portal.notify")


class DeliveryError(Exception):
    """The message did not go out. `retryable`: worth another attempt later (the server was
    unreachable, busy, timed out); False: it will fail the same way until someone changes
    something (a refused number, a missing template, rejected credentials)."""

    def __init__(self, reason: str, *, retryable: bool):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class SMSBackend(Protocol):
    def send(
        self, *, phone: str, message: str, template: str = "", params: dict | None = None
    ) -> None: ...


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    message: str
    template: str = ""
    params: dict = field(default_factory=dict)


class ConsoleSMSBackend:
    """Development: the message goes to the log, the phone masked."""

    def send(self, *, phone: str, message: str, template: str = "", params=None) -> None:
        logger.info("短信 → %s：%s", mask_phone(phone), scrub_text(message))


outbox: list[SMSMessage] = []


def reset_outbox() -> None:
    outbox.clear()


class RecordingSMSBackend:
    """Tests: messages are kept in `portal.notify.outbox`, like `django.core.mail.outbox`."""

    def send(self, *, phone: str, message: str, template: str = "", params=None) -> None:
        outbox.append(
            SMSMessage(phone=phone, message=message, template=template, params=dict(params or {}))
        )


def get_sms_backend() -> SMSBackend:
    path = getattr(settings, "NOTIFY_SMS_BACKEND", "portal.notify.ConsoleSMSBackend")
    return import_string(path)()


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def send_sms(*, phone: str, message: str, template: str, params: dict) -> None:
    try:
        get_sms_backend().send(phone=phone, message=message, template=template, params=params)
    except DeliveryError:
        raise
    except Exception as exc:
        raise DeliveryError(
            gettext("短信发送失败（%(error)s）") % {"error": type(exc).__name__}, retryable=True
        ) from None


def send_email(*, address: str, subject: str, message: str) -> None:
    """Django's mail (`MAILERS`), with SMTP failures sorted: a 5xx answer is permanent, an
    unreachable, disconnected or 4xx-answering server is worth another try."""
    try:
        send_mail(subject, message, None, [address])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _msg in exc.recipients.values()})
        raise DeliveryError(
            gettext("邮件服务器拒收该地址（SMTP %(codes)s）")
            % {"codes": "/".join(str(c) for c in codes)},
            retryable=all(400 <= code < 500 for code in codes),
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            gettext("邮件服务器拒绝发送（SMTP %(code)s）") % {"code": exc.smtp_code},
            retryable=not 500 <= exc.smtp_code < 600,
        ) from None
    except (smtplib.SMTPServerDisconnected, TimeoutError) as exc:
        raise DeliveryError(
            gettext("邮件服务器连接中断或超时（%(error)s）") % {"error": type(exc).__name__},
            retryable=True,
        ) from None
    except OSError as exc:
        raise DeliveryError(
            gettext("无法连接邮件服务器（%(error)s）") % {"error": type(exc).__name__},
            retryable=True,
        ) from None
    except Exception as exc:
        raise DeliveryError(
            gettext("邮件发送失败（%(error)s）") % {"error": type(exc).__name__}, retryable=True
        ) from None

"""The alert mails: the confirmation, an instant alert, the daily digest. Every mail that a
subscription receives carries its one-click unsubscribe (RFC 8058) and the same link in the text.
Sent through Django's mail (portal.notify.backends.send_email's rules for SMTP failures)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.notify.backends import DeliveryError

from . import tokens


def site_url(path: str) -> str:
    """An absolute address on the public site (ALERTS_BASE_URL, else WAGTAILADMIN_BASE_URL)."""
    base = getattr(settings, "ALERTS_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def confirm_url(subscription) -> str:
    return site_url(f"/dy/confirm/{tokens.make(subscription, salt=tokens.CONFIRM_SALT)}/")


def unsubscribe_url(subscription) -> str:
    return site_url(f"/dy/unsubscribe/{tokens.make(subscription, salt=tokens.UNSUBSCRIBE_SALT)}/")


def _site_name() -> str:
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "阳光政务"


def send(*, to: str, subject: str, template: str, context: dict, unsubscribe: str | None) -> None:
    """Render `templates/portal/alerts/<template>.txt` and send it; DeliveryError on failure."""
    body = render_to_string(
        f"portal/alerts/{template}.txt",
        {"site_name": _site_name(), "unsubscribe_url": unsubscribe, **context},
    )
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMessage(
        subject=_("【%(site)s】%(subject)s") % {"site": _site_name(), "subject": subject},
        body=body,
        to=[to],
        headers=headers,
    )
    try:
        message.send()
    except Exception as exc:
        raise DeliveryError(
            _("邮件发送失败（%(error)s）") % {"error": type(exc).__name__}, retryable=True
        ) from None

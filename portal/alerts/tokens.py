"""The links in the mails: signed (SECRET_KEY, a salt per purpose), naming the subscription and
its nonce. A confirmation link expires after ALERTS_CONFIRM_DAYS and works once (the subscription
is no longer pending after it); an unsubscribe link works as long as the subscription exists."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "portal.alerts.confirm"
UNSUBSCRIBE_SALT = "portal.alerts.unsubscribe"


def confirm_days() -> int:
    return int(getattr(settings, "ALERTS_CONFIRM_DAYS", 3))


def make(subscription, *, salt: str) -> str:
    return signing.dumps([subscription.pk, subscription.nonce], salt=salt, compress=False)


def read(token: str, *, salt: str, max_age: int | None = None) -> tuple[int, str] | None:
    """(subscription id, nonce), or None for a forged, altered or expired token."""
    try:
        pk, nonce = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    return pk, nonce

"""Writes of the second factor: enrolment, confirmation, recovery codes (one transaction each)."""

import secrets

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# Recovery codes: 10 characters from an alphabet without look-alikes (0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_begin(*, user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (created on first call, reused on reload so the QR code
    shown stays the one the authenticator app scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with a code from the app; on success the user's other TOTP devices are
    removed (one authenticator per account)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return True


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    """What the user typed → the stored form: upper case, spaces removed, a dash after 5."""
    raw = "".join(code.split()).replace("-", "").upper()
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with new ones (the old ones stop working). The codes are
    returned to be shown once; each works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(settings.PORTAL_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()

"""`check --deploy`: the real SMS gateway, when chosen, is configured completely."""

from django.conf import settings
from django.core.checks import Error, register

GATEWAY = "portal.notify.gateway.HttpSMSBackend"


@register(deploy=True)
def sms_gateway_configured(app_configs, **kwargs):
    if getattr(settings, "NOTIFY_SMS_BACKEND", "") != GATEWAY:
        return []
    config = getattr(settings, "SMS_GATEWAY", {}) or {}
    missing = [
        f"SMS_GATEWAY_{key.upper()}"
        for key in ("url", "key_id", "secret", "sign_name", "templates")
        if not config.get(key)
    ]
    if not missing:
        return []
    return [
        Error(
            f"NOTIFY_SMS_BACKEND is the SMS gateway, but {', '.join(missing)} is not set: "
            "every SMS would fail.",
            hint="Set them in the environment (docs/operations.md, Notifications).",
            id="portal.notify.E001",
        )
    ]

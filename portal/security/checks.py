from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEMO_USERNAMES = (
    "admin",
    "demo",
    "bureau_editor",
    "bureau_reviewer",
    "district_editor",
    "district_reviewer",
    # every account of fixtures/accounts.json
    "bureau_senior",
    "huangpu_editor",
    "huangpu_reviewer",
    "huangpu_senior",
    "xuhui_editor",
    "xuhui_reviewer",
    "xuhui_senior",
    "waitan_handler",
    "huangpu_case_lead",
    # the 监督员 of services/demo/supervision.py
    "supervisor_li",
    "supervisor_zhao",
)


@register(Tags.security, deploy=True)
def no_default_accounts(app_configs, **kwargs):
    """Production must not carry the demo accounts (well-known names and passwords)."""
    if settings.PORTAL_DEMO_ACCOUNTS:
        return []
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    try:
        found = list(
            get_user_model()
            .objects.filter(username__in=DEMO_USERNAMES, is_active=True)
            .values_list("username", flat=True)
        )
    except DatabaseError:  # no tables yet: nothing to find
        return []
    if found:
        return [
            Error(
                "Demo accounts exist in a production database: " + ", ".join(sorted(found)),
                hint="Deactivate or delete them (manage.py shell) before going live.",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    """Production must ask every staff account for its second factor."""
    if settings.PORTAL_DEMO_ACCOUNTS or settings.PORTAL_REQUIRE_2FA:
        return []
    return [
        Error(
            "PORTAL_REQUIRE_2FA is off: staff sign in with a password alone.",
            hint="Unset PORTAL_REQUIRE_2FA (it defaults to on) or set it to 1.",
            id="portal.E002",
        )
    ]


@register(Tags.security, deploy=True)
def idle_timeout_set(app_configs, **kwargs):
    """Production must end idle staff sessions."""
    if (
        settings.PORTAL_DEMO_ACCOUNTS
        or 0 < settings.PORTAL_IDLE_TIMEOUT <= settings.SESSION_COOKIE_AGE
    ):
        return []
    return [
        Error(
            "PORTAL_IDLE_TIMEOUT must be between 1 second and SESSION_COOKIE_AGE.",
            hint="Unset it (30 minutes by default) or give a number of seconds.",
            id="portal.E003",
        )
    ]


@register(Tags.security, deploy=True)
def query_code_keys(app_configs, **kwargs):
    """Query codes need their own HMAC key in production (portal/cases/codes.py)."""
    malformed = [
        item.partition(":")[0]
        for item in settings.QUERY_CODE_KEYS
        if not item.partition(":")[2].strip() or not item.partition(":")[0].strip()
    ]
    if malformed:
        return [Error("QUERY_CODE_KEYS entries are 'id:secret' (newest first)", id="portal.E021")]
    if not settings.QUERY_CODE_KEYS:
        return [
            Warning(
                "QUERY_CODE_KEYS is not set: query codes are keyed with a key derived from "
                "SECRET_KEY.",
                hint="Set QUERY_CODE_KEYS=<id>:<random secret> (docs/operations.md, Limits).",
                id="portal.W021",
            )
        ]
    return []

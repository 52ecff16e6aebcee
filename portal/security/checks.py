from django.conf import settings
from django.core.checks import Error, Tags, register

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

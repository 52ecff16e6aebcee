from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import navigation
        from .cases import notifications, signals  # noqa: F401 - receivers
        from .frontcache import purge
        from .media import signals as media_signals  # noqa: F401 - receivers
        from .security import admin_csp, checks, sessions, throttle  # noqa: F401 - receivers

        admin_csp.install()
        navigation.connect()
        purge.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .cases import notifications, signals  # noqa: F401 - receivers
        from .frontcache import purge
        from .security import checks, throttle  # noqa: F401 - deploy checks, login receiver

        purge.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("办事服务")
    default_auto_field = "django.db.models.BigAutoField"

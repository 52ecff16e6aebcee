"""报表 › 邮件订阅 (URL and menu item)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_alert_urls():
    from .admin_views import subscriptions

    return [path("reports/subscriptions/", subscriptions, name="portal_alert_subscriptions")]


@hooks.register("register_reports_menu_item")
def register_alert_menu_item():
    from .admin_views import SubscriptionsMenuItem

    return SubscriptionsMenuItem(
        _("邮件订阅"),
        reverse("portal_alert_subscriptions"),
        name="alert-subscriptions",
        icon_name="mail",
        order=1300,
    )

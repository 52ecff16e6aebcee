"""报表 › 未送达通知 (URLs, menu item) and the audit log's 重发通知 action."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .actions import RESEND_ACTION


class NoticeResendFormatter(LogFormatter):
    label = _("重发通知")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("重新发送%(reference)s的通知（%(recipient)s，此前尝试%(attempts)s次）") % {
            "reference": data.get("reference") or "",
            "recipient": data.get("recipient") or "",
            "attempts": data.get("attempts", "?"),
        }


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action(RESEND_ACTION)(NoticeResendFormatter)


@hooks.register("register_admin_urls")
def register_notice_urls():
    from .admin_views import notice_list, notice_resend_view

    return [
        path("reports/undelivered-notices/", notice_list, name="portal_undelivered_notices"),
        path(
            "reports/undelivered-notices/<int:pk>/resend/",
            notice_resend_view,
            name="portal_notice_resend",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_notice_menu_item():
    from .admin_views import UndeliveredNoticesMenuItem

    return UndeliveredNoticesMenuItem(
        _("未送达通知"),
        reverse("portal_undelivered_notices"),
        name="undelivered-notices",
        icon_name="warning",
        order=1200,
    )

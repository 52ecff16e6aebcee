"""Admin hooks of 办事服务: the 差评 follow-ups inside 办件工作台, 报表 › 投诉与差评统计, and 明察暗访
(supervisors' visit reports)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.cases.admin_views import WorkbenchMenuItem

from .appointments import admin_views as appointment_views
from .complaints import admin as complaint_admin
from .ratings import admin_views as follow_up_views
from .supervision import admin_views as supervision_admin

hooks.register("register_admin_urls", complaint_admin.admin_urls)
hooks.register("register_admin_urls", supervision_admin.admin_urls)
hooks.register("register_admin_menu_item", supervision_admin.menu_item)
hooks.register("register_reports_menu_item", complaint_admin.reports_menu_item)


@hooks.register("register_workbench_urls")
def follow_up_urls():
    return [
        path("follow-ups/", follow_up_views.follow_up_list, name="follow_ups"),
        path(
            "follow-ups/<int:rating_id>/close/",
            follow_up_views.follow_up_close,
            name="follow_up_close",
        ),
    ]


@hooks.register("register_workbench_urls")
def appointment_urls():
    return [
        path("appointments/", appointment_views.day_list, name="appointments"),
        path(
            "appointments/<int:appointment_id>/act/",
            appointment_views.act,
            name="appointment_act",
        ),
        path("appointments/close/", appointment_views.close, name="appointment_close"),
    ]


@hooks.register("register_workbench_menu_item")
def appointment_menu_item():
    return WorkbenchMenuItem(
        _("预约签到"),
        reverse("workbench:appointments"),
        name="workbench-appointments",
        icon_name="date",
        order=150,
    )


@hooks.register("register_workbench_menu_item")
def follow_up_menu_item():
    return WorkbenchMenuItem(
        _("差评整改回访"),
        reverse("workbench:follow_ups"),
        name="workbench-follow-ups",
        icon_name="warning",
        order=200,
    )


@hooks.register("register_admin_viewset")
def bookable_setup_viewset():
    from .appointments.setup_admin import setup_viewset

    return setup_viewset

from wagtail import hooks

from . import complaint_admin

hooks.register("register_admin_urls", complaint_admin.admin_urls)
hooks.register("register_reports_menu_item", complaint_admin.reports_menu_item)

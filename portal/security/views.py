"""Views of the security package: the admin's logout, by POST only."""

from wagtail.admin.views.account import LogoutView as WagtailLogoutView


class AdminLogoutView(WagtailLogoutView):
    """Wagtail's logout view runs Django's dispatch (which answers 405 to a GET) and then deletes
    the session cookie and adds its message whatever the answer was, so a cross-site GET
    (`<img src=/admin/logout/>`) logged staff out. Here anything but POST is refused before
    Wagtail's dispatch runs: the session is not touched."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

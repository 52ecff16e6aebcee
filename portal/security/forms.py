"""The admin sign-in form: Wagtail's, with the password field labelled in Chinese (Wagtail's own
field has no label, so Django shows the field name, "Password", whatever the language)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class PortalLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")

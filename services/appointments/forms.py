"""The citizen's booking form. Field names are the API's; the rules (ID check digit, both
parties, capacity, window) live in actions.appointment_book, whose errors the view puts back on
these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.security.inputs import InputBoundaryFormMixin


class BookingForm(InputBoundaryFormMixin, forms.Form):
    start = forms.CharField(label=_("预约时段"), required=False, max_length=40)
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20)
    partner_name = forms.CharField(label=_("另一方姓名"), required=False, max_length=50)
    partner_id_number = forms.CharField(label=_("另一方身份证号码"), required=False, max_length=18)

    def error_summary(self) -> list[dict]:
        """[{href, message}] for the summary at the top of the page."""
        return [
            {"href": f"#f-{name}" if name in self.fields else "#booking-form", "message": str(m)}
            for name, messages in self.errors.items()
            for m in messages
        ]


class AppointmentLookupForm(InputBoundaryFormMixin, forms.Form):
    reference = forms.CharField(label=_("预约号"), required=False, max_length=30)
    code = forms.CharField(label=_("预约码"), required=False, max_length=40)

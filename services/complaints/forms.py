"""The public complaint form (我要投诉). Field names are the API's; the rules live in
services.complaint_actions.complaint_submit, whose errors the view puts back on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisations import Organisation
from portal.security.inputs import InputBoundaryFormMixin
from services.models import ServiceGuidePage

from .models import ComplaintCategory


class ComplaintForm(InputBoundaryFormMixin, forms.Form):
    subject = forms.CharField(
        label=_("投诉主题"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "off"}),
        help_text=_("用一句话概括投诉事项，不超过100字。"),
    )
    category = forms.ChoiceField(
        label=_("投诉类别"),
        choices=ComplaintCategory.choices,
        required=False,
        initial=ComplaintCategory.ORGANISATION,
        widget=forms.RadioSelect,
    )
    service_item = forms.ChoiceField(
        label=_("涉及的办事事项"),
        required=False,
        help_text=_("投诉办事事项时必选；投诉将转交该事项的实施机构办理。"),
    )
    organisation = forms.ChoiceField(
        label=_("被投诉机构"),
        required=False,
        help_text=_("不清楚时可不选，由市民政局受理并转办。"),
    )
    content = forms.CharField(
        label=_("投诉内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8, "required": True}),
        help_text=_(
            "请写明时间、地点、经过和您的诉求，不超过2000字。请勿填写身份证号码等与投诉无关的个人信息。"
        ),
    )
    complainant_name = forms.CharField(
        label=_("投诉人姓名"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "name"}),
    )
    complainant_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("11位手机号码，或带区号的固定电话（如021-12345678）。"),
    )
    complainant_email = forms.CharField(
        label=_("电子邮箱（选填）"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    publish_consent = forms.BooleanField(
        label=_("同意在隐去姓名、电话等个人信息后公开本投诉的答复"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_item"].choices = [("", _("（不涉及具体事项）"))] + [
            (code, title)
            for code, title in ServiceGuidePage.objects.live()
            .order_by("title")
            .values_list("code", "title")
        ]
        self.fields["organisation"].choices = [("", _("（不指定）"))] + [
            (code, name)
            for code, name in Organisation.objects.filter(is_active=True, live=True)
            .order_by("sort_order", "code")
            .values_list("code", "name")
        ]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) for the summary at the top of the form."""
        summary = []
        for name, messages in self.errors.items():
            field = self.fields.get(name)
            anchor = self[name].id_for_label if field else ""
            label = str(field.label) if field else ""
            summary.extend((anchor, label, str(m)) for m in messages)
            if field is not None:
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = anchor + "-error"

        return summary

"""The online 依申请公开 form (/xxgk/ysqgk/). Validation is the action's (one set of rules for the
form and the API); the form maps its errors onto its fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cases.errors import CaseValidationError
from portal.security.inputs import InputBoundaryFormMixin

from .actions import information_request_clean, requestable_organisations
from .rules import ApplicantType, InformationForm, OrganisationKindOfApplicant, RequestDelivery


class InformationRequestForm(InputBoundaryFormMixin, forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(
        label=_("姓名或名称"),
        max_length=100,
        required=False,
        help_text=_("自然人填写姓名；法人或其他组织填写全称。"),
    )
    # natural persons
    applicant_id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    # legal persons
    organisation_kind = forms.ChoiceField(
        label=_("组织类型"),
        choices=[("", _("请选择")), *OrganisationKindOfApplicant.choices],
        required=False,
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    # contact
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    applicant_email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    applicant_address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    # the information sought
    organisation = forms.ChoiceField(label=_("申请公开的机关"), required=False)
    description = forms.CharField(
        label=_("所需信息的内容描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=_("请写明信息的名称、文号或便于查询的其他特征，如年份、地区、事项。"),
    )
    document_number = forms.CharField(
        label=_("文号（选填）"), max_length=100, required=False, help_text=_("如 沪民规〔2026〕3号")
    )
    form = forms.ChoiceField(
        label=_("信息的指定提供形式"), choices=InformationForm.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的方式"), choices=RequestDelivery.choices, widget=forms.RadioSelect
    )

    NATURAL_FIELDS = ("applicant_id_number",)
    LEGAL_FIELDS = ("organisation_kind", "credit_code", "contact_name")
    # Marked * on the form (the action decides; these are the fields it always asks for, and the
    # applicant type's own fields in their part of the form).
    MARKED_REQUIRED = (
        "applicant_type",
        "applicant_name",
        "applicant_id_number",
        "organisation_kind",
        "credit_code",
        "applicant_phone",
        "organisation",
        "description",
        "form",
        "delivery",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("请选择")), *organisation_choices()]
        for name in ("applicant_type", "form", "delivery"):
            self.fields[name].error_messages["required"] = _("请选择%(label)s。") % {
                "label": self.fields[name].label
            }
            self.fields[name].error_messages["invalid_choice"] = _("请从列表中选择。")
        for name in self.MARKED_REQUIRED:
            self.fields[name].marked_required = True
            if not isinstance(self.fields[name].widget, forms.RadioSelect):
                self.fields[name].widget.attrs["aria-required"] = "true"
        self.cleaned_request: dict | None = None

    def clean(self):
        data = {name: self.data.get(name, "") for name in self.fields}
        try:
            self.cleaned_request = information_request_clean(data)
        except CaseValidationError as exc:
            for field, messages in exc.errors.items():
                if field in self.errors:
                    continue  # the field already reports its own error
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return self.cleaned_data

    def submission(self) -> dict:
        """The raw values to keep between the form and the check-answers step."""
        return {name: str(self.data.get(name, "")).strip() for name in self.fields}


def organisation_choices() -> list[tuple[str, str]]:
    return [(org.code, org.name) for org in requestable_organisations().only("code", "name")]

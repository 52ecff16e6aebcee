"""The supervisor's visit report form and the reviewer's public summary form. They only shape
input: the rules and their Chinese errors are in actions.py. Photos come from the `photos` file
input (several files, taken with the phone's camera) and are checked by the action."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.centres import ServiceCentrePage
from .models import MAX_FINDINGS, MAX_SUMMARY, CheckItem


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.district} · {obj.title}"


class VisitReportForm(forms.Form):
    visit_date = forms.DateField(
        label=_("暗访日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写暗访日期。"),
            "invalid": _("日期格式应为 2026-11-29。"),
        },
    )
    centre = CentreChoiceField(
        label=_("暗访中心"),
        queryset=ServiceCentrePage.objects.none(),
        empty_label=_("请选择"),
        error_messages={
            "required": _("请选择暗访的社区事务受理中心。"),
            "invalid_choice": _("请从列表中选择中心。"),
        },
    )
    checked_items = forms.MultipleChoiceField(
        label=_("检查事项"),
        choices=CheckItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("检查事项不在清单中。")},
    )
    checked_other = forms.CharField(label=_("其他检查内容（选填）"), max_length=200, required=False)
    findings = forms.CharField(
        label=_("发现问题"),
        required=False,
        max_length=MAX_FINDINGS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("未发现问题请留空。填写了问题的报告将转交中心所属机构限期整改。"),
        error_messages={"max_length": _("发现问题不能超过%(limit_value)d个字。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = ServiceCentrePage.objects.live().order_by(
            "district", "title"
        )
        self.fields["visit_date"].initial = timezone.localdate()


class SummaryForm(forms.Form):
    public_summary = forms.CharField(
        label=_("公开摘要"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "审核通过后在“明察暗访”栏目公开。不得写入监督员、工作人员或群众的姓名等个人信息；"
            "留空则撤回公开摘要。"
        ),
        error_messages={"max_length": _("公开摘要不能超过%(limit_value)d个字。")},
    )

"""The complaint (监督投诉) as a case kind: in the staff workbench, the forms of 受理, 办理, 答复 and
不予受理, and the complaint's part of the case page — what was complained about, whether the
complainant agreed to publish the reply, and how it would read once published (personal data
removed, as on /hdjl/dfgk/). Registered by services/apps.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cases.forms import ActionForm
from portal.cases.kinds import WorkbenchKind

from .models import MAX_REPLY, Complaint, RejectReason
from .selectors import redact


class AcknowledgeForm(ActionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("受理说明（选填，投诉人可见）")


class HandleForm(ActionForm):
    """办理: an internal note, never shown to the complainant."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("内部记录，投诉人不可见；可多次记录办理进展。")


class ComplaintReplyForm(ActionForm):
    reply = forms.CharField(
        label=_("答复内容（投诉人可见）"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "投诉人同意公开的，答复将隐去姓名、电话、邮箱、证件号码后在“答复公开”栏目刊登，"
            "请勿在答复中写入其他个人信息。"
        ),
        error_messages={
            "required": _("请填写答复内容。"),
            "max_length": _("答复内容不能超过%(limit_value)d字。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]  # the reply is what the complainant reads

    def case_data(self) -> dict:
        return {"reply": self.cleaned_data["reply"]}


class RejectForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("不予受理原因"),
        choices=RejectReason.choices,
        error_messages={
            "required": _("请选择不予受理原因。"),
            "invalid_choice": _("请从列表中选择不予受理原因。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("将告知投诉人。")

    def case_data(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


def complaint_detail_context(complaint: Complaint) -> dict:
    """The complaint as it would be published (only shown when the complainant consented)."""
    personal = {
        "name": complaint.applicant_name,
        "phone": complaint.applicant_phone,
        "email": complaint.applicant_email,
    }
    published = None
    if complaint.publish_consent:
        published = {
            "subject": redact(complaint.subject, **personal),
            "content": redact(complaint.content, **personal),
            "reply": redact(complaint.reply, **personal),
        }
    return {"published_preview": published}


def complaint_api_extra(complaint: Complaint) -> dict:
    return {
        "subject": complaint.subject,
        "content": complaint.content,
        "category": complaint.category,
        "publish_consent": complaint.publish_consent,
        "reject_reason": complaint.reject_reason,
    }


COMPLAINT_KIND = WorkbenchKind(
    kind=Complaint.KIND,
    list_related=("organisation", "service"),
    detail_related=("organisation", "service"),
    service_code_path="service__code",
    action_forms={
        "acknowledge": AcknowledgeForm,
        "handle": HandleForm,
        "reply": ComplaintReplyForm,
        "reject": RejectForm,
    },
    detail_template="services/workbench/complaint_detail.html",
    detail_context=complaint_detail_context,
    api_extra=complaint_api_extra,
)

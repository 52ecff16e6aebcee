"""The disclosure request (依申请公开) as a case kind: in the staff workbench, the forms of 一次性告知补正,
征求第三方意见, 延长答复期限 and 答复 (type, reason, letter, files) and the request's part of the case
page; at /cx/, the applicant's 补正 (a corrected description). The rules stay in the transition
handlers (disclosure/requests/models.py); these forms only shape the input and put the handlers'
Chinese errors back on their fields. Registered by disclosure/apps.py."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.cases.actions import case_act
from portal.cases.errors import CaseError
from portal.cases.forms import ActionForm, CorrectionForm
from portal.cases.kinds import WorkbenchKind
from portal.formats import cn_date
from portal.workdays import WorkdayCalendarError

from .actions import information_request_reply, information_request_submit_correction
from .models import InformationRequest, InformationRequestFile, RequestStatus
from .rules import (
    MAX_EXTENSION_DAYS,
    REPLY_REASONS,
    THIRD_PARTY_DAYS,
    ReplyType,
    correction_period_limits,
    offered_reasons,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files in one input; each is checked by content when the reply is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class RequestCorrectionForm(CorrectionForm):
    """一次性告知补正: everything to correct, listed once (Art. 30), within 7 working days, with a
    reasonable period for the applicant (working days; default and limits from the settings)."""

    period_days = forms.IntegerField(label=_("补正期限（工作日）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].label = _("需补正的内容（每行一项，须一次性列全）")
        self.fields["items"].help_text = _(
            "收到申请之日起7个工作日内一次性告知；告知后答复期限暂停，收到补正后重新起算。"
        )
        limits = correction_period_limits()
        field = self.fields["period_days"]
        field.widget.attrs.update({"min": limits["min"], "max": limits["max"]})
        field.initial = limits["default"]
        field.help_text = (
            _(
                "自告知之日次日起算，写入补正告知（留空按默认%(default)d个工作日）；期限届满申请人仍未补正的，方可按"
                "“逾期不补正”结案。可选%(min)d至%(max)d个工作日。"
            )
            % limits
        )
        message = _("补正期限应为%(min)d至%(max)d个工作日。") % limits
        field.error_messages["invalid"] = message

    def clean_period_days(self):
        value = self.cleaned_data["period_days"]
        limits = correction_period_limits()
        if value is None:  # left empty: the default period
            return limits["default"]
        if not limits["min"] <= value <= limits["max"]:
            raise forms.ValidationError(_("补正期限应为%(min)d至%(max)d个工作日。") % limits)
        return value

    def case_data(self) -> dict:
        return {**super().case_data(), "period_days": self.cleaned_data["period_days"]}


class StartConsultationForm(ActionForm):
    third_party = forms.CharField(
        label=_("征求意见的第三方"),
        max_length=200,
        help_text=_("第三方应自收到征求意见书之日起%(n)d个工作日内提出意见，期间不计入答复期限。")
        % {"n": THIRD_PARTY_DAYS},
        error_messages={
            "required": _("请填写征求意见的第三方。"),
            "max_length": _("第三方名称不能超过%(limit_value)d个字。"),
        },
    )

    def case_data(self) -> dict:
        return {"third_party": self.cleaned_data["third_party"]}


class EndConsultationForm(ActionForm):
    opinion = forms.CharField(
        label=_("第三方意见摘要（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("意见摘要不能超过%(limit_value)d个字。")},
    )

    def case_data(self) -> dict:
        return {"opinion": self.cleaned_data["opinion"]}


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label=_("延长的工作日数"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        help_text=_(
            "只能延长一次，最长20个工作日，须经政府信息公开工作机构负责人同意并告知申请人。"
        ),
        error_messages={
            "required": _("请填写延长的工作日数。"),
            "invalid": _("延长的工作日数应为整数。"),
            "min_value": _("延长期限应为1至20个工作日。"),
            "max_value": _("延长期限应为1至20个工作日。"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由（告知申请人）"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写延期理由，延期须告知申请人。"),
            "max_length": _("延期理由不能超过%(limit_value)d个字。"),
        },
    )

    def case_data(self) -> dict:
        return {"days": self.cleaned_data["days"], "reason": self.cleaned_data["reason"]}


class RecordWithdrawalForm(ActionForm):
    """登记申请人撤回: the applicant withdrew in writing or in person; staff record it with the
    applicant's reason."""

    reason = forms.CharField(
        label=_("申请人撤回的理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("申请人书面或当面撤回申请时登记；年度报告计入（六）其他处理“其他”。"),
        error_messages={
            "required": _("请填写撤回申请的理由。"),
            "max_length": _("撤回理由不能超过%(limit_value)d字。"),
        },
    )

    def case_data(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


def reason_choices() -> list:
    """The reasons staff may choose, grouped by reply type (the annual report's rows, without
    the retired （六）2 逾期未缴费: no fee notice exists)."""
    groups = [
        (
            ReplyType(reply_type).label,
            [(slug, label) for slug, label in offered_reasons(reply_type)],
        )
        for reply_type in REPLY_REASONS
        if offered_reasons(reply_type)
    ]
    return [("", _("（予以公开、部分公开不需要选择理由）")), *groups]


class ReplyForm(ActionForm):
    reply_type = forms.ChoiceField(
        label=_("答复类型"),
        choices=ReplyType.choices,
        error_messages={
            "required": _("请选择答复类型。"),
            "invalid_choice": _("请从列表中选择答复类型。"),
        },
    )
    reason = forms.ChoiceField(
        label=_("答复理由"),
        required=False,
        choices=reason_choices,
        help_text=_(
            "不予公开、无法提供、不予处理和其他处理须选择对应的理由（年度报告按此统计）。"
            "“补正后申请内容仍不明确”仅限申请人已提交补正；“逾期不补正”仅限补正期限届满后"
            "申请人仍未补正。"
        ),
        error_messages={"invalid_choice": _("请从列表中选择答复理由。")},
    )
    letter = forms.CharField(
        label=_("答复书内容"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("仅申请人凭受理编号和查询码可查看。"),
        error_messages={
            "required": _("请填写答复书内容。"),
            "max_length": _("答复书不能超过%(limit_value)d字。"),
        },
    )
    files = MultipleFileField(
        label=_("答复书附件（选填）"),
        help_text=_("PDF、JPG 或 PNG，可多选；按文件内容检查类型。"),
    )

    def clean(self):
        cleaned = super().clean()
        reply_type, reason = cleaned.get("reply_type"), cleaned.get("reason") or ""
        if reply_type:
            reasons = dict(offered_reasons(reply_type))
            label = ReplyType(reply_type).label
            if reasons and reason not in reasons:
                self.add_error(
                    "reason",
                    _("“%(type)s”须选择以下理由之一：%(reasons)s。")
                    % {"type": label, "reasons": "、".join(str(r) for r in reasons.values())},
                )
            elif not reasons and reason:
                self.add_error("reason", _("“%(type)s”不需要选择理由。") % {"type": label})
        return cleaned

    def case_data(self) -> dict:
        return {
            "reply_type": self.cleaned_data["reply_type"],
            "reason": self.cleaned_data.get("reason") or "",
            "letter": self.cleaned_data["letter"],
            "files": self.cleaned_data.get("files") or [],
        }


def _act(case, *, action, data=None, **kwargs):
    data = dict(data or {})
    if action == "reply":
        return information_request_reply(
            case,
            reply_type=str(data.get("reply_type") or ""),
            reason=str(data.get("reason") or ""),
            letter=str(data.get("letter") or ""),
            files=data.get("files") or [],
            **kwargs,
        )
    return case_act(case, action=action, data=data, **kwargs)


def request_files(request: InformationRequest) -> list[InformationRequestFile]:
    return list(request.reply_files.all())


def request_files_out(request: InformationRequest) -> list[dict]:
    """The reply files in the staff API's file shape (a reply file belongs to no material)."""
    return [
        {
            "id": f.pk,
            "material_code": "",
            "material_name": f.title,
            "original_name": f.original_name,
            "content_type": f.content_type,
            "size": f.size,
            "round": 0,
            "uploaded_at": f.uploaded_at,
        }
        for f in request_files(request)
    ]


def request_file_lookup(file_id: int, organisation_ids: set[int] | None):
    qs = InformationRequestFile.objects.select_related("request")
    if organisation_ids is not None:
        qs = qs.filter(request__organisation_id__in=organisation_ids)
    return qs.filter(pk=file_id).first()


def request_detail_context(request: InformationRequest) -> dict:
    correction_deadline = None
    if request.status in ("submitted", "accepted") and not request.correction_count:
        try:
            correction_deadline = request.correction_deadline()
        except WorkdayCalendarError:  # a year not entered yet only hides this hint
            correction_deadline = None
    return {
        "request_files": request_files(request),
        "correction_deadline": correction_deadline,
    }


def request_api_extra(request: InformationRequest) -> dict:
    return {
        "applicant_type": request.applicant_type,
        "organisation_kind": request.organisation_kind,
        "credit_code": request.credit_code,
        "description": request.description,
        "document_number": request.document_number,
        "form": request.form,
        "delivery": request.delivery,
        "received_on": request.received_on.isoformat(),
        "correction_items": list(request.correction_items or []),
        "consultations": list(request.consultations or []),
        "extension_days": request.extension_days,
        "reply_type": request.reply_type,
        "reply_reason": request.reply_reason,
        "correction_period_days": request.correction_period_days,
        "correction_due_on": (
            request.correction_due_on.isoformat() if request.correction_due_on else None
        ),
        "withdrawal_reason": request.withdrawal_reason,
    }


def request_lookup_context(request: InformationRequest) -> dict:
    """The request's part of /cx/: the 补正 form while a correction is asked for; a withdrawal
    needs its reason."""
    return {
        "can_correct": request.status == RequestStatus.CORRECTION_REQUESTED,
        "withdraw_reason_required": True,
    }


def request_lookup_correct(request: InformationRequest, http_request) -> str:
    """The applicant's 补正 from /cx/: a corrected description and document number, and a note."""
    if request.status != RequestStatus.CORRECTION_REQUESTED:
        raise CaseError(
            gettext("该申请当前不需要补正（状态：%(s)s）。") % {"s": request.status_label},
            {"status": [gettext("当前状态不需要补正。")]},
        )
    post = http_request.POST
    updated = information_request_submit_correction(
        request,
        description=post.get("description", ""),
        document_number=post.get("document_number", ""),
        note=post.get("note", ""),
    )
    return gettext("补正已提交，%(day)s收到补正，20个工作日的答复期限自次日起重新计算。") % {
        "day": cn_date(updated.correction_received_on)
    }


REQUEST_KIND = WorkbenchKind(
    kind=InformationRequest.KIND,
    action_forms={
        "request_correction": RequestCorrectionForm,
        "start_consultation": StartConsultationForm,
        "end_consultation": EndConsultationForm,
        "extend": ExtendForm,
        "reply": ReplyForm,
        "record_withdrawal": RecordWithdrawalForm,
    },
    detail_template="disclosure/workbench/request_detail.html",
    detail_context=request_detail_context,
    files=request_files_out,
    file_lookup=request_file_lookup,
    act=_act,
    api_extra=request_api_extra,
    lookup_template="disclosure/requests/lookup.html",
    lookup_context=request_lookup_context,
    correct=request_lookup_correct,
    citizen_withdraw=True,
)

"""Applications (办件) in the staff case workbench: the forms of 补正 and 办结, the application's part
of the case page (the guide's fields with their labels, the files), and the open 差评 follow-ups."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.workbench import ActionForm, WorkbenchKind, register

from .actions import application_act
from .models import Application, ApplicationFile, Delivery, FollowUpStatus, Outcome, Rating


class CorrectionForm(ActionForm):
    """补正: everything missing, listed once — one item per line."""

    items = forms.CharField(
        label=_("需补正的材料或事项（每行一项，须一次性列全）"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("请一次性列出需要补正的全部材料或事项，每行一项。"),
            "max_length": _("补正清单不能超过%(limit_value)d个字。"),
        },
    )

    def clean_items(self) -> list[str]:
        items: list[str] = []
        for line in self.cleaned_data["items"].splitlines():
            line = line.strip().lstrip("-•·").strip()
            if line and line not in items:
                items.append(line)
        if not items:
            raise forms.ValidationError(_("请一次性列出需要补正的全部材料或事项，每行一项。"))
        if len(items) > 50:
            raise forms.ValidationError(_("补正清单不能超过50项。"))
        return items

    def case_data(self) -> dict:
        return {"items": self.cleaned_data["items"]}


class CompleteForm(ActionForm):
    """办结: approved or denied, the result text and how it is delivered."""

    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择办理结果：准予办理或不予办理。"),
            "invalid_choice": _("请选择办理结果：准予办理或不予办理。"),
        },
    )
    result = forms.CharField(
        label=_("办理结果说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("请填写办理结果说明。"),
            "max_length": _("办理结果说明不能超过%(limit_value)d个字。"),
        },
    )
    delivery = forms.ChoiceField(
        label=_("送达方式"),
        choices=Delivery.choices,
        initial=Delivery.PICKUP,
        error_messages={
            "required": _("请选择送达方式。"),
            "invalid_choice": _("送达方式不正确。"),
        },
    )

    def case_data(self) -> dict:
        return {
            "outcome": self.cleaned_data["outcome"],
            "result": self.cleaned_data["result"],
            "delivery": self.cleaned_data["delivery"],
        }


def _act(case, **kwargs):
    return application_act(case, **kwargs)


def application_detail_context(application: Application) -> dict:
    """The guide's fields in the guide's order with their labels (values of fields the guide no
    longer has are still shown, under their key), and the files. Two queries."""
    values = dict(application.fields or {})
    rows = []
    for definition in application.service.form_fields.all():
        value = values.pop(definition.key, "")
        if isinstance(value, bool):
            value = str(_("是") if value else _("否"))
        rows.append({"key": definition.key, "label": definition.label, "value": value})
    for key, value in values.items():
        rows.append({"key": key, "label": key, "value": value})
    return {
        "guide_fields": rows,
        "files": application_files(application),
        "outcome_label": application.get_outcome_display(),
        "delivery_label": application.get_delivery_display(),
    }


def application_files(application: Application) -> list[ApplicationFile]:
    return list(application.files.all())


def application_file_lookup(file_id: int, organisation_ids: set[int] | None):
    qs = ApplicationFile.objects.select_related("application")
    if organisation_ids is not None:
        qs = qs.filter(application__organisation_id__in=organisation_ids)
    return qs.filter(pk=file_id).first()


def application_api_extra(application: Application) -> dict:
    context = application_detail_context(application)
    return {
        "applicant_address": application.applicant_address,
        "fields": context["guide_fields"],
        "correction_items": list(application.correction_items or []),
        "outcome": application.outcome,
        "delivery": application.delivery,
    }


register(
    WorkbenchKind(
        kind=Application.KIND,
        list_related=("organisation", "service"),
        detail_related=("organisation", "service"),
        service_code_path="service__code",
        action_forms={"request_correction": CorrectionForm, "complete": CompleteForm},
        detail_template="services/workbench/application_detail.html",
        detail_context=application_detail_context,
        files=application_files,
        file_lookup=application_file_lookup,
        act=_act,
        api_extra=application_api_extra,
    )
)


def open_follow_ups(*, organisation_ids: set[int] | None):
    """Open 差评 follow-ups of the organisations in scope, the most urgent first. One query."""
    qs = Rating.objects.filter(follow_up_status=FollowUpStatus.OPEN).select_related(
        "organisation", "service"
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by("follow_up_due", "created_at")


# Complaints register their workbench kind from their own module.
from . import complaint_workbench  # noqa: E402,F401

"""The application (办件) as a case kind: in the staff workbench, the forms of 补正 and 办结 and the
application's part of the case page (the guide's fields with their labels, the files); at /cx/, the
applicant's 补正 with files and the withdrawal. Registered by services/apps.py."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.cases.forms import ActionForm, CorrectionForm
from portal.cases.kinds import WorkbenchKind
from portal.uploads import files as uploads
from services.models.guides import ServiceGuidePage

from .actions import application_submit_correction
from .models import Application, ApplicationFile, Delivery, Outcome


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


def guide_choices(organisation_ids: set[int] | None) -> list[tuple[str, str]]:
    """The service items of the organisations in scope, for the workbench's filter."""
    qs = ServiceGuidePage.objects.all()
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return list(qs.order_by("code").values_list("code", "title"))


def application_lookup_context(application: Application) -> dict:
    """The application's part of /cx/: its service item, and the 补正 form with one upload per
    material while a correction is asked for."""
    correcting = application.status == Application.STATUS.CORRECTION_REQUESTED
    return {
        "service_title": application.service.title,
        "can_correct": correcting,
        "correction_materials": list(application.service.materials.all()) if correcting else [],
        "max_upload_mb": uploads.max_upload_bytes() // 1024 // 1024,
    }


def application_lookup_correct(application: Application, request) -> str:
    """The applicant's 补正 from /cx/: the files of the materials they chose again, and a note."""
    files = {
        material.code: request.FILES[f"material_{material.code}"]
        for material in application.service.materials.all()
        if f"material_{material.code}" in request.FILES
    }
    application_submit_correction(application, files=files, note=request.POST.get("note", ""))
    return gettext("补正材料已提交，办理时限自今日起重新计算。")


APPLICATION_KIND = WorkbenchKind(
    kind=Application.KIND,
    list_related=("organisation", "service"),
    detail_related=("organisation", "service"),
    service_code_path="service__code",
    service_choices=guide_choices,
    action_forms={"request_correction": CorrectionForm, "complete": CompleteForm},
    detail_template="services/workbench/application_detail.html",
    detail_context=application_detail_context,
    files=application_files,
    file_lookup=application_file_lookup,
    api_extra=application_api_extra,
    lookup_template="services/applications/lookup.html",
    lookup_context=application_lookup_context,
    correct=application_lookup_correct,
    citizen_withdraw=True,
)

"""The rectification (明察暗访整改) as a case kind: in the staff workbench of the centre's
organisation (and the organisations above it), the forms of 接收整改 and 提交整改报告, and the
case's part of the case page — the visit's day, centre, what was checked, the findings and the
photos (downloaded through the workbench, logged like every case file). The supervisor is never
named. Registered by services/apps.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cases.forms import ActionForm
from portal.cases.kinds import WorkbenchKind

from .models import MAX_REPORT, Rectification, VisitPhoto


class RectifyForm(ActionForm):
    report = forms.CharField(
        label=_("整改报告"),
        max_length=MAX_REPORT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("写明针对每个问题采取的整改措施和完成情况。"),
        error_messages={
            "required": _("请填写整改报告。"),
            "max_length": _("整改报告不能超过%(limit_value)d字。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]  # the report is the note

    def case_data(self) -> dict:
        return {"report": self.cleaned_data["report"]}


def rectification_files(case: Rectification) -> list[VisitPhoto]:
    return list(case.photos.all())


def rectification_detail_context(case: Rectification) -> dict:
    """The visit behind the case (already selected with the case) and its photos: one query."""
    visit = case.visit
    return {
        "visit": visit,
        "checked": visit.checked_labels(),
        "files": rectification_files(case),
    }


def rectification_file_lookup(file_id: int, organisation_ids: set[int] | None):
    qs = VisitPhoto.objects.select_related("rectification").filter(rectification__isnull=False)
    if organisation_ids is not None:
        qs = qs.filter(rectification__organisation_id__in=organisation_ids)
    return qs.filter(pk=file_id).first()


def rectification_api_extra(case: Rectification) -> dict:
    visit = case.visit
    return {
        "visit_date": visit.visit_date.isoformat(),
        "centre": visit.centre.title,
        "checked": visit.checked_labels(),
        "findings": visit.findings,
        "rectified_on": case.rectified_on.isoformat() if case.rectified_on else None,
    }


RECTIFICATION_KIND = WorkbenchKind(
    kind=Rectification.KIND,
    list_related=("organisation",),
    detail_related=("organisation", "visit", "visit__centre"),
    action_forms={"rectify": RectifyForm},
    detail_template="services/workbench/rectification_detail.html",
    detail_context=rectification_detail_context,
    files=rectification_files,
    file_lookup=rectification_file_lookup,
    api_extra=rectification_api_extra,
)

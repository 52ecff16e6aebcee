"""The staff case workbench's view of each case kind.

The workbench (admin pages and the staff API) works for every kind registered in
`portal.cases.case_models()`. What differs per kind — extra fields on an action's form, the
kind-specific part of the case page, its files, the service item — is described by a
`WorkbenchKind` that the kind's app registers in its own `<app>/workbench.py` (discovered on first
use). A kind with no registration still works: note-only action forms and the common fields."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Value
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .cases import CaseValidationError, TrackedCase, Transition, case_transition


class ActionForm(forms.Form):
    """An action's form: the case `version` it was rendered with (optimistic locking) and a note.
    Subclasses add fields and return them from `case_data()` as the action's data."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("说明不能超过%(limit_value)d个字。")},
    )

    def __init__(self, *args, transition: Transition, **kwargs):
        kwargs.setdefault("prefix", transition.action)
        super().__init__(*args, **kwargs)
        self.transition = transition
        # the action's own fields first, the free note last
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])
        if type(self) is not ActionForm:
            self.fields["note"].label = _("说明（选填）")
        self.fields["version"].error_messages["required"] = _(
            "缺少办件版本，请刷新页面后重新操作。"
        )
        if transition.note_required:
            self.fields["note"].required = True
            self.fields["note"].label = transition.note_label or _("说明")
            self.fields["note"].error_messages["required"] = _("请填写%(what)s。") % {
                "what": transition.note_label or _("说明")
            }

    def case_data(self) -> dict[str, Any]:
        return {}

    def add_case_errors(self, exc: CaseValidationError) -> None:
        """Show the action's own validation errors on the fields they concern."""
        if not exc.errors:
            self.add_error(None, exc.message)
        for name, messages in exc.errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


def _default_act(case, **kwargs):
    return case_transition(case, by="staff", **kwargs)


@dataclass
class WorkbenchKind:
    kind: str
    # select_related for the list / the case page
    list_related: tuple[str, ...] = ("organisation",)
    detail_related: tuple[str, ...] = ("organisation",)
    # the ORM path of the service item's code, if the kind has one (filters and the list column)
    service_code_path: str | None = None
    # action name → ActionForm subclass (note-only ActionForm otherwise)
    action_forms: dict[str, type[ActionForm]] = field(default_factory=dict)
    # the kind's part of the case page: a template and its context
    detail_template: str | None = None
    detail_context: Callable[[TrackedCase], dict] | None = None
    # files: metadata for the case page / API, and the permission-checked lookup for download
    files: Callable[[TrackedCase], list] | None = None
    file_lookup: Callable[[int, set[int] | None], Any] | None = None
    # the write: (case, *, action, actor, organisation_ids, version, note, data) → case
    act: Callable[..., TrackedCase] = _default_act
    # the kind's extra fields in the staff API's case answer
    api_extra: Callable[[TrackedCase], dict] | None = None

    def form_class(self, action: str) -> type[ActionForm]:
        return self.action_forms.get(action, ActionForm)

    def service_item(self, case: TrackedCase) -> str | None:
        if not self.service_code_path:
            return None
        obj: Any = case
        for part in self.service_code_path.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj

    def service_code_expr(self):
        from django.db.models import CharField, F

        if self.service_code_path:
            return F(self.service_code_path)
        return Value(None, output_field=CharField())


_registry: dict[str, WorkbenchKind] = {}
_discovered = False


def register(kind: WorkbenchKind) -> WorkbenchKind:
    _registry[kind.kind] = kind
    return kind


def workbench_kind(kind: str) -> WorkbenchKind:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("workbench")
    return _registry.get(kind) or WorkbenchKind(kind=kind)

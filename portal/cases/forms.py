"""Forms of the staff workbench: every action's form (`ActionForm`: the case version and a note;
kinds add fields by subclassing it in their `action_forms`) and the 补正 list every kind with a
correction step shares (`CorrectionForm`). The forms only shape input; the rules and their
Chinese errors stay in the kinds' transition handlers."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.security.inputs import InputBoundaryFormMixin

from .errors import CaseValidationError
from .models import Transition


class ActionForm(InputBoundaryFormMixin, forms.Form):
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

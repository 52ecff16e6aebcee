"""The registry of case kinds.

A kind is a concrete `TrackedCase` model (found by `models.case_models()`) plus a `WorkbenchKind`: what
differs per kind in the shared pages and APIs — the extra fields of an action's form, the kind's
part of the staff case page and of the citizen's /cx/ page, its files, its service item, its
citizen follow-ups. Each app registers its kinds in its `AppConfig.ready()`; a kind with no
registration still works with note-only action forms and the common fields."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .actions import case_act
from .forms import ActionForm
from .models import TrackedCase


def _default_act(case, **kwargs):
    return case_act(case, **kwargs)


@dataclass
class WorkbenchKind:
    kind: str
    # select_related for the staff list / the case pages
    list_related: tuple[str, ...] = ("organisation",)
    detail_related: tuple[str, ...] = ("organisation",)
    # the ORM path of the service item's code, if the kind has one (filters and the list column)
    service_code_path: str | None = None
    # the service items staff may filter by: (scope) → [(code, title)]
    service_choices: Callable[[set[int] | None], list[tuple[str, str]]] | None = None
    # action name → ActionForm subclass (note-only ActionForm otherwise)
    action_forms: dict[str, type[ActionForm]] = field(default_factory=dict)
    # the kind's part of the staff case page: a template and its context
    detail_template: str | None = None
    detail_context: Callable[[TrackedCase], dict] | None = None
    # files: metadata for the case page / API, and the permission-checked lookup for download
    # (the found file has `stored_name`, `content_type` as detected at upload, and
    # `download_label`, the name we give the download: never the citizen's file name)
    files: Callable[[TrackedCase], list] | None = None
    file_lookup: Callable[[int, set[int] | None], Any] | None = None
    # the staff write: (case, *, action, actor, organisation_ids, version, note, data) → case
    act: Callable[..., TrackedCase] = _default_act
    # the kind's extra fields in the staff API's case answer
    api_extra: Callable[[TrackedCase], dict] | None = None
    # the citizen's /cx/ page: the kind's own part (e.g. its 补正 form) and its context
    lookup_template: str | None = None
    lookup_context: Callable[[TrackedCase], dict] | None = None
    # the citizen answers a 补正 from /cx/: (case, request) → the message shown afterwards
    correct: Callable[[TrackedCase, Any], str] | None = None
    # whether /cx/ offers the citizen's withdrawal (the kind's `withdraw` transition)
    citizen_withdraw: bool = False

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


_registry: dict[str, WorkbenchKind] = {}


def register(kind: WorkbenchKind) -> WorkbenchKind:
    _registry[kind.kind] = kind
    return kind


def workbench_kind(kind: str) -> WorkbenchKind:
    return _registry.get(kind) or WorkbenchKind(kind=kind)

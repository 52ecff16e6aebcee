"""Reads of the staff case workbench (admin pages and the staff API), across every case kind.

Scope: a staff member sees the cases of their organisation and of the organisations below it;
other cases do not exist for them (not found). Superusers see everything (scope None).
Every read here costs a fixed number of queries, whatever the number of cases."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from portal.organisations import subtree_ids
from portal.privacy import mask_phone

from .errors import CaseNumberError
from .filters import StaffCaseFilter
from .kinds import WorkbenchKind, workbench_kind
from .models import CaseAccessLog, CaseEvent, TrackedCase, case_models
from .numbers import CaseKind, parse_case_number
from .permissions import access_report_refusal, can_handle_cases, case_refusal

FAR_FUTURE = date(9999, 12, 31)


def staff_scope(user) -> set[int] | None:
    """The organisation ids whose cases `user` may see and handle; None = all (superuser).
    PermissionDenied (with the Chinese reason) for anyone who is not a case handler
    (portal/cases/permissions.py): editors and reviewers included."""
    refusal = case_refusal(user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if user.is_superuser:
        return None
    return subtree_ids(user.staff_profile.organisation)


def access_report_scope(user) -> set[int] | None:
    """The organisations whose cases' access log `user` may review: None = all (superuser), else
    their own organisation's subtree. PermissionDenied for anyone else."""
    refusal = access_report_refusal(user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if user.is_superuser:
        return None
    return subtree_ids(user.staff_profile.organisation)


def case_access_entries(*, organisation_ids: set[int] | None):
    """The access log of the cases of these organisations (None = all), newest first, with the
    user and both organisations joined: a page of it costs one query (plus the paginator's count)."""
    qs = CaseAccessLog.objects.select_related("user", "actor_organisation", "case_organisation")
    if organisation_ids is not None:
        qs = qs.filter(case_organisation_id__in=organisation_ids)
    return qs.order_by("-at", "-pk")


def staff_service_choices(organisation_ids: set[int] | None) -> list[tuple[str, str]]:
    """The service items staff may filter the list by: what each kind offers, in code order."""
    choices: dict[str, str] = {}
    for kind in case_models():
        wk = workbench_kind(kind)
        if wk.service_choices is not None:
            choices.update(wk.service_choices(organisation_ids))
    return sorted(choices.items())


def can_use_workbench(user) -> bool:
    """Whether the 办件工作台 menu is shown and its pages open: case handlers and superusers."""
    return can_handle_cases(user)


def _kinds() -> dict[str, tuple[type[TrackedCase], WorkbenchKind]]:
    return {kind: (model, workbench_kind(kind)) for kind, model in case_models().items()}


def _scoped(model, organisation_ids: set[int] | None):
    qs = model.objects.all()
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs


@dataclass
class CaseListing:
    filterset: StaffCaseFilter
    page: Page | None  # None when the filters are invalid
    cases: list[TrackedCase]

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [str(m) for m in msgs] for name, msgs in self.filterset.errors.items()}


def staff_case_page(
    *, organisation_ids: set[int] | None, params, page: int | str = 1, per_page: int = 25
) -> CaseListing:
    """One page of cases of every kind in scope, filtered by `params` (StaffCaseFilter), running
    cases first by due date (overdue first), then closed ones. Queries: one count, one page of
    keys, one per kind on the page (with its select_related) — whatever the number of cases."""
    kinds = _kinds()
    filterset = StaffCaseFilter(
        params,
        queryset=next(iter(kinds.values()))[0].objects.none(),
        kinds={k: wk for k, (_m, wk) in kinds.items()},
    )
    if not filterset.is_valid():
        return CaseListing(filterset, None, [])
    parts = []
    for kind, (model, _wk) in kinds.items():
        qs = filterset.filter_queryset(_scoped(model, organisation_ids))
        closed = [*model.CLOSED_STATUSES]
        parts.append(
            qs.annotate(
                wb_kind=Value(kind),
                wb_closed=Case(
                    When(status__in=closed, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                wb_due=Coalesce("due_date", Value(FAR_FUTURE)),
            )
            .order_by()
            .values_list("wb_kind", "pk", "wb_closed", "wb_due", "submitted_at")
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    combined = combined.order_by("wb_closed", "wb_due", "-submitted_at")
    paginator = Paginator(combined, per_page)
    current = paginator.get_page(page)
    keys = list(current.object_list)
    wanted: dict[str, list[int]] = {}
    for kind, pk, *_rest in keys:
        wanted.setdefault(kind, []).append(pk)
    loaded: dict[tuple[str, int], TrackedCase] = {}
    for kind, pks in wanted.items():
        model, wk = kinds[kind]
        for case in model.objects.filter(pk__in=pks).select_related(*wk.list_related):
            loaded[(kind, case.pk)] = case
    cases = [loaded[(kind, pk)] for kind, pk, *_rest in keys if (kind, pk) in loaded]
    for case in cases:
        case.wb_service_item = kinds[case.KIND][1].service_item(case)
        case.wb_kind_label = str(CaseKind(case.KIND).label)
        case.wb_phone = mask_phone(case.applicant_phone) if case.applicant_phone else ""
    return CaseListing(filterset, current, cases)


def staff_status_counts(*, organisation_ids: set[int] | None) -> list[dict]:
    """[{kind, kind_label, status, label, count}] of the cases in scope, kind by kind: one query
    per kind. Kinds share status labels (已提交 …), so a count is shown under its kind's label."""
    counts = []
    for kind, (model, _wk) in _kinds().items():
        kind_label = str(CaseKind(kind).label)
        found = dict(
            _scoped(model, organisation_ids)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for value, label in model.STATUS.choices:
            counts.append(
                {
                    "kind": kind,
                    "kind_label": kind_label,
                    "status": value,
                    "label": str(label),
                    "count": found.get(value, 0),
                }
            )
    return counts


def staff_case_get(
    *, case_number: str, organisation_ids: set[int] | None
) -> tuple[TrackedCase, WorkbenchKind]:
    """The case with this number if it is in scope; Http404 otherwise (also for a malformed
    number: outside the scope a case does not exist)."""
    try:
        kind, _day, _serial = parse_case_number(case_number)
    except CaseNumberError:
        raise Http404(_("未找到该办件。")) from None
    model = case_models().get(kind)
    if model is None:
        raise Http404(_("未找到该办件。"))
    wk = workbench_kind(kind)
    case = (
        _scoped(model, organisation_ids)
        .select_related(*wk.detail_related)
        .filter(case_number=case_number.strip().upper())
        .first()
    )
    if case is None:
        raise Http404(_("未找到该办件。"))
    return case, wk


def staff_case_timeline(case: TrackedCase) -> list[CaseEvent]:
    """Every event (public or internal) with its actor and organisation, in one query. Each
    event gets `actor_display`: the staff member's name, else 申请人 for the citizen's own steps,
    else 系统."""
    events = list(case.timeline().select_related("actor", "actor_organisation"))
    for event in events:
        transition = case.TRANSITIONS.get(event.action)
        if event.actor is not None:
            event.actor_display = event.actor.get_full_name() or event.actor.get_username()
        elif event.action == "submit" or (transition and transition.by == "citizen"):
            event.actor_display = _("申请人")
        else:
            event.actor_display = _("系统")
    return events

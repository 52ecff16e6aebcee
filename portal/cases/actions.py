"""Every write of the case machinery. Each state change goes through `case_transition`: it locks
the row, checks the version it was given, validates the transition, runs the kind's handler,
recomputes the deadline, appends a `CaseEvent` (the timeline and the audit record) and, after
commit, announces the change (`case_event_committed`, which notifications listen to) — all in one
transaction."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.formats import cn_date
from portal.workdays import (
    WorkdayCalendarError,
    provisional_calendar,
    provisional_note,
    provisional_years,
)

from .codes import generate_query_code, hash_query_code
from .errors import (
    CalendarMissing,
    CaseError,
    CaseForbidden,
    CaseNotFound,
    CaseValidationError,
    InvalidTransition,
    StaleVersion,
)
from .models import (
    CaseAccess,
    CaseAccessChannel,
    CaseAccessLog,
    CaseEvent,
    CaseSequence,
    TrackedCase,
    case_models,
)
from .numbers import format_case_number

# Sent after the transaction that changed a case commits: (sender=model, case=..., event=...).
case_event_committed = Signal()
# Sent inside that transaction, once the event is written (same arguments): for records that must
# commit or roll back with the change, such as the applicant's notices.
case_event_recorded = Signal()


def next_case_number(kind: str, day: date | None = None) -> str:
    """Take the next number for `kind` on `day` (today, local time). Call inside a transaction: the
    number is only spent if the case is saved."""
    day = day or timezone.localdate()
    CaseSequence.objects.bulk_create([CaseSequence(kind=kind, day=day)], ignore_conflicts=True)
    seq = CaseSequence.objects.select_for_update().get(kind=kind, day=day)
    seq.last += 1
    if seq.last > 999_999:
        raise CaseError(_("当日受理编号已用尽。"))
    seq.save(update_fields=["last"])
    return format_case_number(kind, day, seq.last)


def case_event_record(
    case: TrackedCase,
    *,
    action: str,
    label: str,
    status_from: str,
    note: str,
    data: dict,
    actor,
    public: bool,
) -> CaseEvent:
    actor_org = (
        getattr(getattr(actor, "staff_profile", None), "organisation", None) if actor else None
    )
    event = CaseEvent.objects.create(
        kind=case.KIND,
        case_number=case.case_number,
        action=action,
        action_label=label,
        status_from=status_from,
        status_to=case.status,
        status_label=case.status_label,
        note=note,
        data=data,
        public=public,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_organisation=actor_org,
    )
    case_event_recorded.send(sender=type(case), case=case, event=event)
    transaction.on_commit(
        lambda: case_event_committed.send(sender=type(case), case=case, event=event)
    )
    return event


def case_create(
    case: TrackedCase, *, actor=None, note: str = "", data: dict | None = None
) -> tuple[TrackedCase, str]:
    """Number a new case, give it a query code, start its clock, save it and its first event.
    Must run inside the caller's transaction (the kind's submit action), so a failure leaves
    nothing behind. Returns (case, the query code in clear — show it once)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_create must run inside a transaction")
    query_code = generate_query_code()
    case.case_number = next_case_number(case.KIND)
    case.query_code_hash = hash_query_code(query_code)
    case.status = case.INITIAL_STATUS
    case.submitted_at = case.submitted_at or timezone.now()
    if case.clock_start is None:
        case.clock_start = timezone.localdate(case.submitted_at)
    case.recompute_deadline()
    case.full_clean()
    case.save()
    case_event_record(
        case,
        action="submit",
        label=_("提交申请"),
        status_from="",
        note=note,
        data=data or {},
        actor=actor,
        public=True,
    )
    return case, query_code


def case_transition(
    case: TrackedCase,
    *,
    action: str,
    actor=None,
    by: str = "staff",
    organisation_ids: set[int] | None = None,
    version: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> TrackedCase:
    """Apply `action` to `case` in one transaction; see the module docstring. `organisation_ids`
    limits staff to their organisations' cases (others are "not found"); `version`, when given,
    must match (optimistic locking: a stale version is a conflict)."""
    model = type(case)
    data = data or {}
    note = (note or "").strip()
    with transaction.atomic():
        try:
            locked = model.objects.select_for_update().get(pk=case.pk)
        except model.DoesNotExist:
            raise CaseNotFound(_("未找到该办件。")) from None
        if organisation_ids is not None and locked.organisation_id not in organisation_ids:
            raise CaseForbidden(_("该办件不属于您所在的机构。"))
        if version is not None and int(version) != locked.version:
            raise StaleVersion(
                _("该办件已被他人处理（当前版本%(v)d），请刷新后重试。") % {"v": locked.version},
                {"version": [_("版本已过期。")]},
            )
        transition = model.TRANSITIONS.get(action)
        if transition is None or transition.by != by:
            raise InvalidTransition(
                _("不支持的操作：%(a)s。") % {"a": action}, {"action": [_("不支持的操作。")]}
            )
        if locked.status not in transition.sources:
            raise InvalidTransition(
                _("办件当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": locked.status_label, "a": transition.label},
                {"action": [_("当前状态不允许此操作。")]},
            )
        if transition.note_required and not note:
            raise CaseValidationError(
                _("请填写%(what)s。") % {"what": transition.note_label or _("说明")},
                {"note": [_("此项为必填项。")]},
            )
        status_from = locked.status
        handler: Callable | None = getattr(locked, f"on_{action}", None)
        public_note = note
        if handler is not None:
            try:
                # a date the handler counts into next year (a 补正 period, an extension) is
                # provisional if that year's schedule is missing: said in the note, never silent
                with provisional_calendar():
                    returned = handler(note=note, data=data, actor=actor)
                    years = provisional_years()
            except WorkdayCalendarError as exc:
                raise CalendarMissing(str(exc)) from None
            if returned is not None:
                public_note = returned
            if years and public_note:
                public_note = f"{public_note}（{_('其中日期为')}{provisional_note(years)}）"
        locked.status = transition.target
        if locked.is_closed and locked.closed_at is None:
            locked.closed_at = timezone.now()
        locked.recompute_deadline()
        locked.version += 1
        locked.save()
        case_event_record(
            locked,
            action=action,
            label=transition.label,
            status_from=status_from,
            note=public_note,
            data=data.get("event_data", {}),
            actor=actor,
            public=transition.public,
        )
    return locked


def case_act(
    case: TrackedCase,
    *,
    action: str,
    actor=None,
    organisation_ids: set[int] | None = None,
    version: int | None = None,
    note: str = "",
    data: dict | None = None,
) -> TrackedCase:
    """A staff action on a case of any kind (the kinds' actions and their `data` are documented
    on their models)."""
    return case_transition(
        case,
        action=action,
        actor=actor,
        by="staff",
        organisation_ids=organisation_ids,
        version=version,
        note=note,
        data=data,
    )


def case_withdraw(case: TrackedCase, *, note: str = "") -> TrackedCase:
    """The applicant withdraws the case (撤回), where the kind's transitions allow it."""
    return case_transition(case, action="withdraw", by="citizen", note=(note or "").strip())


def recompute_pending_deadlines() -> int:
    """Recompute every open case whose deadline was pending (no due date) or provisional (预计,
    counted from the statutory holidays of a year whose schedule was missing) — called when an
    administrator enters a year's schedule. A provisional date that is now confirmed or moved gets
    a timeline note saying so. Returns the number of cases updated."""
    from django.db.models import Q

    updated = 0
    for model in case_models().values():
        pending = (
            model.objects.filter(clock_start__isnull=False)
            .filter(Q(due_date__isnull=True) | Q(due_date_provisional=True))
            .exclude(status__in=list(model.CLOSED_STATUSES) + list(model.PAUSED_STATUSES))
        )
        for case in pending:
            with transaction.atomic():
                case = model.objects.select_for_update().get(pk=case.pk)
                before, was_provisional = case.due_date, case.due_date_provisional
                deadline = case.recompute_deadline()
                if deadline.due is None:
                    continue
                if (before, was_provisional) == (case.due_date, case.due_date_provisional):
                    continue  # still provisional on the same date: nothing new to say
                case.save(
                    update_fields=["due_date", "deadline_explanation", "due_date_provisional"]
                )
                updated += 1
                if was_provisional and before is not None:
                    note = (
                        _("节假日安排已录入，办理期限由预计的%(before)s重新计算为%(after)s。")
                        if before != case.due_date
                        else _("节假日安排已录入，预计的办理期限%(after)s得到确认。")
                    ) % {"before": cn_date(before), "after": cn_date(case.due_date)}
                    if case.due_date_provisional:
                        note += provisional_note(deadline.provisional_years) + "。"
                    case_event_record(
                        case,
                        action="recompute_deadline",
                        label=_("重新计算办理期限"),
                        status_from=case.status,
                        note=note,
                        data={"before": before.isoformat(), "after": case.due_date.isoformat()},
                        actor=None,
                        public=True,
                    )
    return updated


def case_access_record(
    *,
    user,
    case: TrackedCase,
    access: CaseAccess | str,
    channel: CaseAccessChannel | str,
    detail: str = "",
) -> CaseAccessLog:
    """Append who looked at `case` (a page view, a file, the staff API, an unmasking) to the
    access log, with the user's organisation and the case's. Called before the data is sent, so
    a failed write means nothing is shown. One INSERT; the user's staff profile is already
    loaded by the permission check."""
    profile = getattr(user, "staff_profile", None)
    entry = CaseAccessLog(
        user=user,
        actor_organisation_id=profile.organisation_id if profile is not None else None,
        kind=case.KIND,
        case_number=case.case_number,
        case_organisation_id=case.organisation_id,
        access=access,
        channel=channel,
        detail=detail[:200],
    )
    if entry.access not in CaseAccess.values or entry.channel not in CaseAccessChannel.values:
        raise ValueError(f"unknown case access {access!r} / channel {channel!r}")
    entry.save()
    return entry

"""Writes of 好差评: recording a rating of a finished case (any kind) and closing a 差评's follow-up."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases.actions import case_event_record
from portal.cases.errors import CaseError, CaseNotFound, CaseValidationError, InvalidTransition
from portal.cases.models import case_models
from portal.frontcache.backends import Ban
from portal.frontcache.purge import ban_after_commit
from portal.workdays import WorkdayCalendarError, add_working_days

from .models import Rating, RatingScore


class RatingConflict(CaseError):
    status = 409


# What a new rating or a closed follow-up changes: 好差评结果公开 and 区县排位, pages and API (the
# front cache keeps them up to 10 minutes otherwise).
PUBLISHED_FIGURES = frozenset(
    {
        Ban("/hdjl/hcp/"),
        Ban("/hdjl/pw/"),
        Ban("/api/v1/ratings/"),
        Ban("/api/v1/league", prefix=False),
    }
)


def published_figures_purge() -> None:
    """Ban the published figures after the current transaction commits."""
    ban_after_commit(PUBLISHED_FIGURES)


def on_case_event_committed(sender, case, event, **kwargs):
    """A case of any kind was closed: the 区县排位's on-time rates changed. Connected in
    services/apps.py to `portal.cases.actions.case_event_committed` (sent after the commit); other
    events (acceptance, 补正, replies to open cases) change no published figure."""
    if case.is_closed and event.status_from not in type(case).CLOSED_STATUSES:
        published_figures_purge()


def on_league_weights_saved(sender, instance, **kwargs):
    """The bureau changed the 区县排位 weights (connected in services/apps.py)."""
    published_figures_purge()


def rating_record(*, case, score: int, comment: str = "") -> Rating:
    """好差评: once per finished case. A 差评 opens a follow-up task due in 5 working days."""
    if not case.is_closed or case.status == "withdrawn":
        raise RatingConflict(_("办件办结后才能评价。"), {"case_number": [_("办件尚未办结。")]})
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if score not in RatingScore.values:
        raise CaseValidationError(_("评价等级应为1至5。"), {"score": [_("请选择评价等级。")]})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise CaseValidationError(_("评价内容不能超过500字。"), {"comment": [_("内容过长。")]})
    rating = Rating(
        case_kind=case.KIND,
        case_number=case.case_number,
        organisation=case.organisation,
        service=getattr(case, "service", None),
        score=score,
        comment=comment,
    )
    if rating.is_negative:
        rating.follow_up_status = "open"
        try:
            rating.follow_up_due = add_working_days(timezone.localdate(), 5)
        except WorkdayCalendarError:
            rating.follow_up_due = None  # set when the year's holiday schedule is entered
    try:
        with transaction.atomic():
            rating.full_clean(exclude=["case_number"])
            rating.save()
            published_figures_purge()
    except IntegrityError:
        raise RatingConflict(
            _("该办件已评价过，每件只能评价一次。"), {"case_number": [_("已评价。")]}
        ) from None
    return rating


def rating_follow_up_close(
    *, rating_id: int, actor, organisation_ids: set[int] | None, note: str
) -> Rating:
    """Close an open 差评 follow-up with what was done. Staff only see their organisations' ratings
    (others are "not found"). The closure is also written to the case's audit log (an internal
    CaseEvent: who, which organisation, when, what) without changing the case."""
    note = (note or "").strip()
    if not note:
        raise CaseValidationError(_("请填写整改回访情况。"), {"note": [_("此项为必填项。")]})
    if len(note) > 2000:
        raise CaseValidationError(_("整改回访情况不能超过2000字。"), {"note": [_("内容过长。")]})
    with transaction.atomic():
        qs = Rating.objects.select_for_update()
        if organisation_ids is not None:
            qs = qs.filter(organisation_id__in=organisation_ids)
        rating = qs.filter(pk=rating_id).first()
        if rating is None:
            raise CaseNotFound(_("未找到该评价。"))
        if rating.follow_up_status != "open":
            raise InvalidTransition(
                _("该差评的整改回访已经办结，不能重复办结。"),
                {"follow_up_status": [_("已办结。")]},
            )
        rating.follow_up_status = "done"
        rating.follow_up_note = note
        rating.follow_up_closed_at = timezone.now()
        rating.full_clean(exclude=["case_number"])
        rating.save(update_fields=["follow_up_status", "follow_up_note", "follow_up_closed_at"])
        published_figures_purge()
        model = case_models().get(rating.case_kind)
        case = model.objects.filter(case_number=rating.case_number).first() if model else None
        if case is not None:
            case_event_record(
                case,
                action="rating_follow_up_close",
                label=_("差评整改回访办结"),
                status_from=case.status,
                note=note,
                data={},
                actor=actor,
                public=False,
            )
    return rating

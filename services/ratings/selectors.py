"""Reads of 好差评: the open 差评 follow-ups of the staff's organisations."""

from .models import FollowUpStatus, Rating, RatingScore


def open_follow_ups(*, organisation_ids: set[int] | None):
    """Open 差评 follow-ups of the organisations in scope, the most urgent first. One query."""
    qs = Rating.objects.filter(follow_up_status=FollowUpStatus.OPEN).select_related(
        "organisation", "service"
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by("follow_up_due", "created_at")


def rating_for_case(case_number: str) -> Rating | None:
    return Rating.objects.filter(case_number=case_number).first()


def rating_choices() -> list[tuple[int, str]]:
    return RatingScore.choices

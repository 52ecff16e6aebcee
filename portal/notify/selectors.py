"""Reads for 报表 › 未送达通知."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal.organisations import subtree_ids, user_organisation

from .models import Notice, NoticeStatus

# The list's filter: what "undelivered" means in each choice.
FILTERS = {
    "failed": {"status": NoticeStatus.FAILED},
    "retrying": {"status": NoticeStatus.PENDING, "attempts__gte": 1},
}


def notice_scope(user) -> set[int] | None:
    """The organisation ids whose notices `user` may see and resend; None = all (superuser).
    PermissionDenied for anyone who is neither a superuser nor staff of an organisation."""
    if user.is_superuser:
        return None
    organisation = user_organisation(user) if user.is_active else None
    if organisation is None:
        raise PermissionDenied(_("您不是任何机构的工作人员，不能查看未送达通知。"))
    return subtree_ids(organisation)


def can_see_notices(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "staff_profile", None) is not None)
    )


def undelivered_notices(*, organisation_ids: set[int] | None, show: str = "failed") -> QuerySet:
    """Notices that could not be delivered (`failed`) or are being retried (`retrying`), or both
    (`all`), newest first, with their organisation (one query per page). Notices of no
    organisation are seen by superusers only."""
    qs = Notice.objects.select_related("organisation").order_by("-created_at", "-pk")
    if show in FILTERS:
        qs = qs.filter(**FILTERS[show])
    else:
        qs = qs.filter(status__in=[NoticeStatus.FAILED, NoticeStatus.PENDING], attempts__gte=1)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs


def scoped_notice(*, organisation_ids: set[int] | None, pk: int) -> Notice | None:
    qs = Notice.objects.filter(pk=pk)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.first()

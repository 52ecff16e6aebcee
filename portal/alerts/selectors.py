"""Reads for the admin's 报表 › 邮件订阅: addresses only masked, a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Subscription


def can_see_subscriptions(user) -> bool:
    return bool(user.is_active and user.has_perm("portal.view_subscription"))


def subscription_list(*, source: str = "", status: str = "") -> QuerySet[Subscription]:
    qs = Subscription.objects.order_by("-created_at", "-pk")
    if source:
        qs = qs.filter(source=source)
    if status:
        qs = qs.filter(status=status)
    return qs.defer("params", "nonce", "key")


def subscription_counts() -> list[dict]:
    """Subscriptions per source, frequency and status: one query."""
    return list(
        Subscription.objects.order_by("source", "frequency", "status")
        .values("source", "frequency", "status")
        .annotate(n=Count("id"))
    )

"""Every write on subscriptions, and the tasks that send the alerts.

- `subscription_request` (the subscribe form): checks the address and what is followed, limits
  requests per client and per address, writes a PENDING subscription and, after the commit, queues
  its confirmation mail. Asking again for a pending one sends a new link (the old one stops
  working); for an active one nothing is written or sent, and the answer is the same, so the form
  does not tell a stranger whether an address subscribes.
- `subscription_confirm` (the link, used once) and `subscription_cancel` (the one-click
  unsubscribe: deletes the row, and with it the address).
- `change_record` (a page published, from signals.py) writes an AlertChange and queues
  `send_instant_alerts` after the commit; `alerts_dispatch` sends each subscription of a frequency
  the changes after its cursor that match it (one mail per subscription), and moves the cursors
  of those it considered: a failed mail is retried by the next run. `send_daily_digest` (queued
  daily by `manage.py send_alert_digests`) also deletes unconfirmed subscriptions older than
  ALERTS_CONFIRM_DAYS and changes older than ALERTS_KEEP_DAYS."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import RateLimited, ValidationFailed
from portal.notify.backends import DeliveryError, mask_email
from portal.security import ratelimit

from . import mail, tokens
from .models import AlertChange, Frequency, Subscription, SubscriptionStatus
from .sources import get_source

logger = logging.getLogger("portal.alerts")

SUBSCRIBE_LIMIT_PER_CLIENT = ratelimit.Limit("alerts-subscribe-client", 10, 3600)
SUBSCRIBE_LIMIT_PER_ADDRESS = ratelimit.Limit("alerts-subscribe-address", 5, 86400)
# At most this many changes in one mail (the rest are counted, with a link to the list).
MAX_CHANGES_PER_MAIL = 50


def _address_key(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def _subscription_key(source: str, params: dict) -> str:
    canonical = json.dumps([source, params], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def subscription_request(
    *, email: str, source: str, data: dict, frequency: str, client: str
) -> Subscription:
    """A new (or renewed) pending subscription; its confirmation mail goes after the commit."""
    if ratelimit.is_limited(SUBSCRIBE_LIMIT_PER_CLIENT, client):
        raise RateLimited(
            _("订阅申请过于频繁，请一小时后再试。"),
            retry_after=ratelimit.retry_after(SUBSCRIBE_LIMIT_PER_CLIENT),
        )
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("请输入有效的电子邮箱地址。")]
    if frequency not in Frequency.values:
        errors["frequency"] = [_("请选择即时提醒或每日汇总。")]
    if errors:
        raise ValidationFailed(_("请检查填写的内容。"), errors)
    params, description = get_source(source).clean(data)
    if ratelimit.is_limited(SUBSCRIBE_LIMIT_PER_ADDRESS, _address_key(email)):
        raise RateLimited(
            _("该邮箱今天的订阅申请已达上限，请明天再试。"),
            retry_after=ratelimit.retry_after(SUBSCRIBE_LIMIT_PER_ADDRESS),
        )
    ratelimit.hit(SUBSCRIBE_LIMIT_PER_CLIENT, client)
    ratelimit.hit(SUBSCRIBE_LIMIT_PER_ADDRESS, _address_key(email))
    key = _subscription_key(source, params)
    now = timezone.now()
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(email=email, key=key).first()
        if sub is not None and sub.status == SubscriptionStatus.ACTIVE:
            logger.info("重复订阅，已是有效订阅：%s", sub)
            return sub
        if sub is None:
            sub = Subscription(email=email, key=key, source=source, params=params)
        sub.description = description[:300]
        sub.frequency = frequency
        sub.status = SubscriptionStatus.PENDING
        sub.nonce = secrets.token_hex(16)
        sub.created_at = now
        sub.full_clean(validate_unique=False)
        sub.save()
        pk = sub.pk
        transaction.on_commit(lambda: send_confirmation.enqueue(subscription_id=pk))
    logger.info("订阅申请：%s", sub)
    return sub


def _by_token(token: str, *, salt: str, max_age: int | None):
    found = tokens.read(token, salt=salt, max_age=max_age)
    if found is None:
        return None
    pk, nonce = found
    sub = Subscription.objects.select_for_update().filter(pk=pk).first()
    if sub is None or not secrets.compare_digest(sub.nonce, nonce):
        return None
    return sub


def subscription_confirm(*, token: str) -> Subscription | None:
    """The confirmation link: the pending subscription becomes active (from the next change on);
    None for a link that is forged, expired or already used."""
    with transaction.atomic():
        sub = _by_token(token, salt=tokens.CONFIRM_SALT, max_age=tokens.confirm_days() * 86400)
        if sub is None or sub.status != SubscriptionStatus.PENDING:
            return None
        sub.status = SubscriptionStatus.ACTIVE
        sub.confirmed_at = timezone.now()
        sub.nonce = secrets.token_hex(16)  # the confirmation link works once
        sub.cursor = AlertChange.objects.aggregate(m=Max("id"))["m"] or 0
        sub.save(update_fields=["status", "confirmed_at", "nonce", "cursor"])
    logger.info("订阅已确认：%s", sub)
    return sub


def subscription_cancel(*, token: str) -> bool:
    """One-click unsubscribe: the subscription and its address are deleted. False for a link that
    names no subscription (forged, or already unsubscribed)."""
    with transaction.atomic():
        sub = _by_token(token, salt=tokens.UNSUBSCRIBE_SALT, max_age=None)
        if sub is None:
            return False
        shown = str(sub)
        sub.delete()
    logger.info("已退订：%s", shown)
    return True


def subscription_from_unsubscribe_token(token: str) -> Subscription | None:
    found = tokens.read(token, salt=tokens.UNSUBSCRIBE_SALT)
    if found is None:
        return None
    sub = Subscription.objects.filter(pk=found[0]).first()
    return sub if sub is not None and secrets.compare_digest(sub.nonce, found[1]) else None


def change_record(*, page) -> AlertChange:
    """A page went live: record the change; instant alerts go after the commit. A first publish
    is one whose first and last publish times agree and that has no earlier change (Wagtail resets
    first_published_at when a revision is saved from an instance loaded before the first publish)."""
    first = (
        page.first_published_at is None
        or page.last_published_at is None
        or abs((page.last_published_at - page.first_published_at).total_seconds()) < 1
    ) and not AlertChange.objects.filter(page_id=page.pk).exists()
    change = AlertChange.objects.create(
        page_id=page.pk,
        title=page.title[:255],
        url_path=(page.url or "")[:500],
        first_publish=first,
        published_at=page.last_published_at or timezone.now(),
    )
    pk = change.pk
    transaction.on_commit(lambda: send_instant_alerts.enqueue(change_id=pk))
    return change


def _matching(subs: list[Subscription], changes: list[AlertChange]) -> dict[int, list]:
    """Subscription id → the changes after its cursor that concern it. Per source one describe
    (its fixed queries), then matching in memory."""
    page_ids = sorted({c.page_id for c in changes})
    by_source: dict[str, list[Subscription]] = defaultdict(list)
    for sub in subs:
        by_source[sub.source].append(sub)
    found: dict[int, list] = {}
    for name, group in by_source.items():
        try:
            source = get_source(name)
        except Exception:
            logger.warning("未知的订阅类型 %s，跳过 %d 个订阅", name, len(group))
            continue
        described = source.describe(page_ids) if page_ids else {}
        for sub in group:
            found[sub.pk] = [
                c
                for c in changes
                if c.pk > sub.cursor
                and c.page_id in described
                and source.matches(sub.params, described[c.page_id])
            ]
    return found


def alerts_dispatch(*, frequency: str, now=None, upto: int | None = None) -> dict[str, int]:
    """Send each active subscription of `frequency` one mail with the changes of the last day
    after its cursor that match it. Queries: the changes, the subscriptions (locked, skipping
    those another worker holds), one describe per source, one update of the cursors — whatever
    the number of subscriptions and changes."""
    now = now or timezone.now()
    counts = {"subscriptions": 0, "sent": 0, "failed": 0}
    with transaction.atomic():
        changes_qs = AlertChange.objects.filter(published_at__gte=now - timedelta(days=1))
        if upto is not None:
            changes_qs = changes_qs.filter(pk__lte=upto)
        changes = list(changes_qs.order_by("pk"))
        if not changes:
            return counts
        last = changes[-1].pk
        subs = list(
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(status=SubscriptionStatus.ACTIVE, frequency=frequency, cursor__lt=last)
            .order_by("pk")
        )
        counts["subscriptions"] = len(subs)
        matched = _matching(subs, changes)
        done = []
        for sub in subs:
            hits = matched.get(sub.pk)
            if hits is None:
                continue  # unknown source: leave it as it is
            if hits:
                try:
                    _send_alert(sub, hits, frequency=frequency)
                except DeliveryError as exc:
                    counts["failed"] += 1
                    logger.warning("提醒邮件未发出（%s）：%s", exc.reason, sub)
                    continue
                sub.last_sent_at = now
                counts["sent"] += 1
            sub.cursor = last
            done.append(sub)
        if done:
            Subscription.objects.bulk_update(done, ["cursor", "last_sent_at"])
    return counts


def _send_alert(sub: Subscription, changes: list[AlertChange], *, frequency: str) -> None:
    source = get_source(sub.source)
    if frequency == Frequency.INSTANT:
        subject = _("您订阅的内容有更新：%(title)s") % {"title": changes[-1].title}
    else:
        subject = _("每日更新汇总：%(what)s（%(n)d条）") % {
            "what": sub.description,
            "n": len(changes),
        }
    shown = changes[-MAX_CHANGES_PER_MAIL:]
    mail.send(
        to=sub.email,
        subject=subject,
        template="alert",
        context={
            "subscription": sub,
            "changes": [
                {
                    "title": c.title,
                    "url": mail.site_url(c.url_path),
                    "first": c.first_publish,
                    "at": c.published_at,
                }
                for c in shown
            ],
            "more": len(changes) - len(shown),
            "follow_url": mail.site_url(source.url(sub.params)),
            "daily": frequency == Frequency.DAILY,
        },
        unsubscribe=mail.unsubscribe_url(sub),
    )


def alerts_purge(*, now=None) -> dict[str, int]:
    """Unconfirmed subscriptions past their link's life (their addresses go with them) and changes
    older than ALERTS_KEEP_DAYS."""
    now = now or timezone.now()
    pending, _n = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING,
        created_at__lt=now - timedelta(days=tokens.confirm_days()),
    ).delete()
    keep = int(getattr(settings, "ALERTS_KEEP_DAYS", 30))
    changes, _n = AlertChange.objects.filter(published_at__lt=now - timedelta(days=keep)).delete()
    return {"pending_deleted": pending, "changes_deleted": changes}


@task
def send_confirmation(*, subscription_id: int) -> dict[str, object]:
    """The double opt-in mail: a link that confirms (once)."""
    sub = Subscription.objects.filter(pk=subscription_id, status=SubscriptionStatus.PENDING).first()
    if sub is None:
        return {"subscription": subscription_id, "status": "skipped"}
    mail.send(
        to=sub.email,
        subject=_("请确认订阅：%(what)s") % {"what": sub.description},
        template="confirm",
        context={
            "subscription": sub,
            "confirm_url": mail.confirm_url(sub),
            "days": tokens.confirm_days(),
        },
        unsubscribe=None,
    )
    logger.info("已发送订阅确认邮件：%s", sub)
    return {"subscription": subscription_id, "status": "sent", "to": mask_email(sub.email)}


@task
def send_instant_alerts(*, change_id: int) -> dict[str, int]:
    return alerts_dispatch(frequency=Frequency.INSTANT, upto=change_id)


@task
def send_daily_digest() -> dict[str, int]:
    counts = alerts_dispatch(frequency=Frequency.DAILY)
    counts.update(alerts_purge())
    return counts

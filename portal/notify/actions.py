"""Every write on notices, and the background task that delivers them.

- `notify(...)` renders the message and writes one `Notice` per channel inside the caller's
  transaction (rolled back with it: nothing is sent for a change that did not happen); after the
  commit it enqueues `deliver_notice` for each.
- `notice_deliver(notice_id=)` makes one attempt. It first claims the notice with a conditional
  UPDATE (pending, due, attempts unchanged), which also moves `next_attempt_at` forward by the
  next back-off delay, so a second worker or the sweeper cannot send it at the same time and a
  worker that dies mid-send leaves it due again later. Then it sends, outside any transaction:
  sent → SENT; a retryable failure with attempts left → stays PENDING, `next_attempt_at` after
  the back-off, and a deferred task (`run_after`) where the task backend supports it; a permanent
  failure or the last attempt → FAILED, listed in 报表 › 未送达通知.
- `notices_send_due()` is the sweeper (`manage.py send_pending_notices`): it attempts every due
  pending notice, so a lost task or a backend without deferred tasks loses nothing.
- `notice_resend(notice=, user=)` puts a failed notice back in the queue (audited).

Back-off: `settings.NOTIFY_RETRY_DELAYS` (seconds after the 1st, 2nd, … failed attempt; default
1 min, 5 min, 30 min, 2 h, 12 h); a notice gets `len(NOTIFY_RETRY_DELAYS) + 1` attempts.
Delivery is at least once: a worker that dies between the send and the bookkeeping sends again."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from portal.formats import cn_date
from portal.organisations import Organisation
from portal.privacy import MOBILE_RE, mask_phone, normalise_phone

from .backends import DeliveryError, mask_email, send_email, send_sms
from .models import Notice, NoticeChannel, NoticeStatus

logger = logging.getLogger("portal.notify")

DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 43200)
RESEND_ACTION = "portal.notice.resend"


def retry_delays() -> list[int]:
    delays = list(getattr(settings, "NOTIFY_RETRY_DELAYS", None) or DEFAULT_RETRY_DELAYS)
    return [max(int(d), 1) for d in delays]


def max_attempts() -> int:
    return len(retry_delays()) + 1


def render_message(template: str, context: dict) -> str:
    """The message for `templates/notify/<template>.txt`, on one line (SMS has no layout)."""
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""), **context}
    text = render_to_string(f"notify/{template}.txt", context)
    return "".join(line.strip() for line in text.splitlines())


def _params(context: dict) -> dict[str, str]:
    """The template's values as plain strings, for gateways that send registered templates."""
    params = {}
    for key, value in context.items():
        if isinstance(value, (date, datetime)):
            params[key] = cn_date(value)
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            params[key] = str(value)
        elif value is None:
            params[key] = ""
    return params


def notify(
    *,
    phone: str | None,
    email: str | None,
    template: str,
    context: dict,
    organisation: Organisation | None = None,
    reference: str = "",
    subject: str = "",
) -> list[Notice]:
    """Tell an applicant by SMS and/or email: record the notices now, send after the commit.

    `context` is for the template (typically case_number, status_label, due_date, note,
    service_name, phone — the phone to call for questions). `organisation` is the one whose staff
    see the notice if it cannot be delivered; `reference` the case number (default: the
    context's); `subject` the mail's subject (default: the case's 进度通知). A phone that is not a mainland mobile number gets no SMS. Raises
    TemplateDoesNotExist at once for an unknown template."""
    message = render_message(template, context)
    site = getattr(settings, "WAGTAIL_SITE_NAME", "")
    reference = reference or str(context.get("case_number") or "")
    if subject:
        subject = f"【{site}】{subject}"
    elif reference:
        subject = gettext("【%(site)s】办件%(case_number)s进度通知") % {
            "site": site,
            "case_number": reference,
        }
    else:
        subject = gettext("【%(site)s】通知") % {"site": site}
    phone = normalise_phone(phone or "") or None
    if phone and not MOBILE_RE.match(phone):
        logger.info("不是手机号码，不发短信：%s", mask_phone(phone))
        phone = None
    email = (email or "").strip() or None
    recipients = [(NoticeChannel.SMS, phone), (NoticeChannel.EMAIL, email)]
    recipients = [(channel, to) for channel, to in recipients if to]
    if not recipients:
        return []
    now = timezone.now()
    params = _params(context)
    with transaction.atomic():
        notices = [
            Notice.objects.create(
                channel=channel,
                recipient=to,
                organisation=organisation,
                reference=reference,
                template=template,
                subject=subject,
                body=message,
                params=params,
                next_attempt_at=now,
                created_at=now,
            )
            for channel, to in recipients
        ]
    ids = [notice.pk for notice in notices]
    transaction.on_commit(lambda: _enqueue(ids))
    return notices


def _enqueue(ids: list[int], *, run_after: datetime | None = None) -> None:
    """Queue delivery tasks. The notices are committed: a queue failure is logged, not raised —
    the sweeper will find them."""
    for pk in ids:
        try:
            if run_after is None:
                deliver_notice.enqueue(notice_id=pk)
            elif task_backends[deliver_notice.backend].supports_defer:
                deliver_notice.using(run_after=run_after).enqueue(notice_id=pk)
        except Exception as exc:
            logger.error("通知 %s 未能入队，等待定时补发：%s", pk, type(exc).__name__)


def _masked(notice: Notice) -> str:
    return (
        mask_phone(notice.recipient)
        if notice.channel == NoticeChannel.SMS
        else mask_email(notice.recipient)
    )


def _claim(notice_id: int, now: datetime) -> Notice | None:
    """Take the next attempt of a due pending notice, or None if it is not ours to send."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status != NoticeStatus.PENDING:
        return None
    if notice.next_attempt_at is not None and notice.next_attempt_at > now:
        return None
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimable = Notice.objects.filter(due, pk=notice_id, status=NoticeStatus.PENDING)
    if notice.attempts >= max_attempts():
        # Its last attempt never reported back (the worker died): stop here, visibly.
        claimable.filter(attempts=notice.attempts).update(
            status=NoticeStatus.FAILED,
            next_attempt_at=None,
            last_error=gettext("最后一次尝试的结果未知，已停止重试"),
        )
        return None
    delays = retry_delays()
    attempt = notice.attempts + 1
    lease = timedelta(seconds=delays[min(attempt, len(delays)) - 1])
    claimed = claimable.filter(attempts=notice.attempts).update(
        attempts=attempt, next_attempt_at=now + lease
    )
    if not claimed:
        return None
    notice.attempts = attempt
    return notice


def notice_deliver(*, notice_id: int) -> Notice | None:
    """One delivery attempt of a due pending notice; None if it was not due or not pending."""
    notice = _claim(notice_id, timezone.now())
    if notice is None:
        return None
    try:
        if notice.channel == NoticeChannel.SMS:
            send_sms(
                phone=notice.recipient,
                message=notice.body,
                template=notice.template,
                params=notice.params,
            )
        else:
            send_email(address=notice.recipient, subject=notice.subject, message=notice.body)
    except DeliveryError as error:
        return _record_failure(notice, error)
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.SENT, sent_at=now, next_attempt_at=None
    )
    notice.status, notice.sent_at, notice.next_attempt_at = NoticeStatus.SENT, now, None
    logger.info("通知 %s 已发送（%s，第%s次）", notice.pk, _masked(notice), notice.attempts)
    return notice


def _record_failure(notice: Notice, error: DeliveryError) -> Notice:
    reason = error.reason[:300]
    now = timezone.now()
    if error.retryable and notice.attempts < max_attempts():
        delay = retry_delays()[notice.attempts - 1]
        notice.next_attempt_at = now + timedelta(seconds=delay)
        Notice.objects.filter(pk=notice.pk).update(
            last_error=reason, next_attempt_at=notice.next_attempt_at
        )
        notice.last_error = reason
        logger.warning(
            "通知 %s 发送失败（%s，第%s次），%s秒后重试：%s",
            notice.pk,
            _masked(notice),
            notice.attempts,
            delay,
            reason,
        )
        _enqueue([notice.pk], run_after=notice.next_attempt_at)
        return notice
    notice.status, notice.next_attempt_at, notice.last_error = NoticeStatus.FAILED, None, reason
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.FAILED, next_attempt_at=None, last_error=reason
    )
    logger.error(
        "通知 %s 未能送达（%s，共%s次），已列入未送达通知：%s",
        notice.pk,
        _masked(notice),
        notice.attempts,
        reason,
    )
    return notice


def notices_send_due(*, limit: int = 500) -> dict[str, int]:
    """The sweeper: one attempt for each pending notice that is due, oldest first."""
    now = timezone.now()
    due = (
        Notice.objects.filter(status=NoticeStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    for pk in list(due):
        notice = notice_deliver(notice_id=pk)
        if notice is None:
            counts["skipped"] += 1
        elif notice.status == NoticeStatus.SENT:
            counts["sent"] += 1
        elif notice.status == NoticeStatus.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts


class NoticeNotResendable(Exception):
    pass


def notice_resend(*, notice: Notice, user) -> Notice:
    """Put a failed notice back in the queue with a fresh set of attempts; logged (audit)."""
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.FAILED:
            raise NoticeNotResendable(gettext("该通知不是发送失败状态，无需重发。"))
        previous = {"attempts": locked.attempts, "last_error": locked.last_error}
        locked.status = NoticeStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        log(
            instance=locked,
            action=RESEND_ACTION,
            user=user,
            data={
                "channel": locked.channel,
                "recipient": locked.masked_recipient,
                "reference": locked.reference,
                **previous,
            },
        )
        transaction.on_commit(lambda: _enqueue([locked.pk]))
    logger.info(
        "通知 %s 由工作人员 %s 重新发送（%s）", locked.pk, getattr(user, "pk", "-"), _masked(locked)
    )
    return locked


@task
def deliver_notice(*, notice_id: int) -> dict[str, object]:
    """The background half of `notify`: one attempt (see `notice_deliver`)."""
    notice = notice_deliver(notice_id=notice_id)
    if notice is None:
        return {"notice": notice_id, "status": "skipped"}
    return {"notice": notice_id, "status": notice.status, "attempts": notice.attempts}


@task
def send_notification(
    *, phone: str | None, email: str | None, subject: str, message: str
) -> dict[str, bool]:
    """The task of earlier releases, kept so tasks still queued at the upgrade are delivered:
    it records the notices and makes their first attempt."""
    sent = {"sms": False, "email": False}
    now = timezone.now()
    for channel, to in ((NoticeChannel.SMS, phone), (NoticeChannel.EMAIL, email)):
        if not to:
            continue
        notice = Notice.objects.create(
            channel=channel,
            recipient=to,
            template="",
            subject=subject,
            body=message,
            next_attempt_at=now,
            created_at=now,
        )
        delivered = notice_deliver(notice_id=notice.pk)
        sent[channel] = delivered is not None and delivered.status == NoticeStatus.SENT
    return sent

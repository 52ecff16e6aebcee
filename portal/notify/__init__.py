"""Notifications to applicants by SMS and email: recorded, sent in the background, retried.

    notify(phone="13800138000", email=None, template="case_accepted", context={...},
           organisation=case.organisation, reference=case.case_number)

renders `templates/notify/<template>.txt` now (in the current language, so dates and labels are
final) and writes one `Notice` per channel in the caller's transaction (nothing for a rolled-back
change); once it commits, `deliver_notice` (a `django.tasks` task) sends each one. A failed attempt
is retried with back-off (`NOTIFY_RETRY_DELAYS`), by deferred tasks where the backend supports
them and by the sweeper `manage.py send_pending_notices` in any case; a notice that cannot be
delivered is listed for its organisation's staff in 报表 › 未送达通知, with 重发.

Modules: `backends` (SMS backends, mail, `DeliveryError`), `gateway` (the signed HTTP SMS
adapter), `models` (`Notice`), `actions` (every write and the tasks), `selectors`, `admin_views`
and `wagtail_hooks` (the staff list). SMS goes through `settings.NOTIFY_SMS_BACKEND`:
`ConsoleSMSBackend` (dev: logs one line, phone masked), `RecordingSMSBackend` (tests: appends to
`outbox`, cleared by `reset_outbox()`), `portal.notify.gateway.HttpSMSBackend` (production), all
with `send(*, phone, message, template="", params=None)`. Email goes through Django's mail
(`MAILERS`). Personal data never reaches the logs or the admin unmasked."""

from . import checks  # noqa: F401 - deploy check of the SMS gateway
from .actions import (
    deliver_notice,
    notice_deliver,
    notice_resend,
    notices_send_due,
    notify,
    render_message,
    send_notification,
)
from .backends import (
    ConsoleSMSBackend,
    DeliveryError,
    RecordingSMSBackend,
    SMSBackend,
    SMSMessage,
    get_sms_backend,
    mask_email,
    outbox,
    reset_outbox,
)
from .models import Notice, NoticeChannel, NoticeStatus

# The name of earlier releases for a failed send.
NotificationError = DeliveryError

__all__ = [
    "ConsoleSMSBackend",
    "DeliveryError",
    "Notice",
    "NoticeChannel",
    "NoticeStatus",
    "NotificationError",
    "RecordingSMSBackend",
    "SMSBackend",
    "SMSMessage",
    "deliver_notice",
    "get_sms_backend",
    "mask_email",
    "notice_deliver",
    "notice_resend",
    "notices_send_due",
    "notify",
    "outbox",
    "render_message",
    "reset_outbox",
    "send_notification",
]

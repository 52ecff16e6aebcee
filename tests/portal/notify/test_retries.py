"""Notices are not lost: failed attempts are retried with back-off until they are sent or fail for
good; the sweeper delivers what the task queue lost."""

import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from freezegun import freeze_time

from portal import notify
from portal.notify import DeliveryError, Notice, NoticeStatus

from .fake_smtp import FakeSMTPServer

pytestmark = pytest.mark.django_db

CONTEXT = {"case_number": "SQ20261129000123X", "status_label": "已受理", "phone": "021-12345678"}
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_on(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


class ScriptedSMSBackend:
    """Fails with the errors in `plan` (one per attempt, in order), then sends; `sent` records."""

    plan: list = []
    sent: list = []
    during_send = None

    def send(self, *, phone, message, template="", params=None):
        if ScriptedSMSBackend.during_send:
            ScriptedSMSBackend.during_send()
        if ScriptedSMSBackend.plan:
            raise ScriptedSMSBackend.plan.pop(0)
        ScriptedSMSBackend.sent.append(phone)


@pytest.fixture
def scripted_sms(settings):
    settings.NOTIFY_SMS_BACKEND = f"{__name__}.ScriptedSMSBackend"
    ScriptedSMSBackend.plan, ScriptedSMSBackend.sent = [], []
    ScriptedSMSBackend.during_send = None
    yield ScriptedSMSBackend
    ScriptedSMSBackend.during_send = None


def sms_notice(**context) -> Notice:
    [notice] = notify.notify(
        phone="13812345678",
        email=None,
        template="case_accepted",
        context={**CONTEXT, **context},
    )
    return notice


def sweep() -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_pending_notices", stdout=out)
    return out.getvalue().strip()


def test_smtp_unreachable_keeps_the_notice_pending_then_the_retry_sends_it(
    django_capture_on_commit_callbacks, settings
):
    port = closed_port()
    settings.MAILERS = smtp_on(port)
    with freeze_time(START) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            [notice] = notify.notify(
                phone=None,
                email="zhang@example.com",
                template="case_accepted",
                context=CONTEXT,
            )
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.PENDING and notice.attempts == 1
        assert notice.next_attempt_at == START + timedelta(minutes=1)
        assert notice.last_error == "无法连接邮件服务器（ConnectionRefusedError）"
        # Not yet due: the sweeper leaves it alone.
        assert sweep() == "已发送 0，待重试 0，未送达 0，跳过 0"
        assert Notice.objects.get(pk=notice.pk).attempts == 1

        clock.tick(timedelta(seconds=61))
        with FakeSMTPServer(port) as smtp:  # the mail server is back
            assert sweep() == "已发送 1，待重试 0，未送达 0，跳过 0"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.attempts == 2
    assert notice.sent_at == START + timedelta(seconds=61) and notice.next_attempt_at is None
    [(sender, recipients, raw)] = smtp.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert recipients == ["zhang@example.com"] and message["To"] == "zhang@example.com"
    assert message["Subject"] == "【阳光政务】办件SQ20261129000123X进度通知"
    assert message.get_content().strip() == notice.body


@pytest.mark.parametrize(
    ("reply", "status", "error"),
    [
        ("550 5.1.1 No such user", NoticeStatus.FAILED, "邮件服务器拒收该地址（SMTP 550）"),
        ("451 4.3.0 Try again later", NoticeStatus.PENDING, "邮件服务器拒收该地址（SMTP 451）"),
    ],
)
def test_a_refused_address_fails_for_good_a_deferral_is_retried(settings, reply, status, error):
    with FakeSMTPServer() as smtp:
        settings.MAILERS = smtp_on(smtp.port)
        smtp.rcpt_reply = reply
        [notice] = notify.notify(
            phone=None, email="nobody@example.com", template="case_accepted", context=CONTEXT
        )
        notify.notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.last_error) == (status, error)
    assert "nobody" not in notice.last_error and smtp.messages == []


def test_back_off_follows_the_configured_delays_then_gives_up(scripted_sms, settings):
    settings.NOTIFY_RETRY_DELAYS = [60, 300, 1800, 7200, 43200]
    scripted_sms.plan = [ConnectionError("down")] * 10
    with freeze_time(START) as clock:
        notice = sms_notice()
        waits = []
        for _ in range(6):
            notify.notice_deliver(notice_id=notice.pk)
            notice.refresh_from_db()
            if notice.next_attempt_at:
                waits.append(notice.next_attempt_at - clock.time_to_freeze.replace(tzinfo=UTC))
                # One second early is too early, for the task and the sweeper alike.
                clock.move_to(notice.next_attempt_at - timedelta(seconds=1))
                assert notify.notice_deliver(notice_id=notice.pk) is None
                clock.tick(timedelta(seconds=1))
    assert [w.total_seconds() for w in waits] == [60, 300, 1800, 7200, 43200]
    assert notice.status == NoticeStatus.FAILED and notice.attempts == 6
    assert notice.next_attempt_at is None
    assert notice.last_error == "短信发送失败（ConnectionError）"
    assert scripted_sms.sent == []


def test_the_number_of_attempts_comes_from_the_settings(scripted_sms, settings):
    settings.NOTIFY_RETRY_DELAYS = [10, 20]
    scripted_sms.plan = [TimeoutError()] * 5
    with freeze_time(START) as clock:
        notice = sms_notice()
        for _ in range(4):
            notify.notice_deliver(notice_id=notice.pk)
            clock.tick(timedelta(seconds=30))
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 3)


def test_a_permanent_failure_is_not_retried(scripted_sms):
    scripted_sms.plan = [DeliveryError("短信网关返回错误 INVALID_PHONE：号码无效", retryable=False)]
    notice = sms_notice()
    notify.notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 1)
    assert notice.last_error == "短信网关返回错误 INVALID_PHONE：号码无效"


def test_a_retry_is_a_deferred_task_where_the_backend_supports_it(scripted_sms, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    scripted_sms.plan = [ConnectionError("down")]
    with freeze_time(START):
        notice = sms_notice()
        notify.notice_deliver(notice_id=notice.pk)
    [retry] = task_backends["default"].results
    assert retry.kwargs == {"notice_id": notice.pk}
    assert retry.task.run_after == START + timedelta(minutes=1)


def test_the_sweeper_sends_a_notice_whose_task_was_lost(scripted_sms):
    # No on-commit callbacks run here: the task was never queued, as if the queue had lost it.
    notice = sms_notice()
    assert scripted_sms.sent == []
    assert sweep() == "已发送 1，待重试 0，未送达 0，跳过 0"
    assert scripted_sms.sent == ["13812345678"]
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.SENT
    assert sweep() == "已发送 0，待重试 0，未送达 0，跳过 0"  # sent once, never again


def test_an_attempt_in_progress_is_not_taken_twice(scripted_sms):
    notice = sms_notice()
    second_tries = []
    scripted_sms.during_send = lambda: second_tries.append(
        notify.notice_deliver(notice_id=notice.pk)
    )
    notify.notice_deliver(notice_id=notice.pk)
    assert second_tries == [None]
    assert scripted_sms.sent == ["13812345678"]


def test_a_last_attempt_that_never_reported_back_ends_failed(scripted_sms, settings):
    settings.NOTIFY_RETRY_DELAYS = [60]
    notice = sms_notice()
    Notice.objects.filter(pk=notice.pk).update(attempts=2)  # the worker died during attempt 2
    assert sweep() == "已发送 0，待重试 0，未送达 0，跳过 1"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FAILED
    assert notice.last_error == "最后一次尝试的结果未知，已停止重试"
    assert scripted_sms.sent == []


def test_the_log_never_names_the_recipient(scripted_sms, notify_log):
    scripted_sms.plan = [ConnectionError("gateway refused 13812345678")]
    notice = sms_notice()
    notify.notice_deliver(notice_id=notice.pk)
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=None)
    notify.notice_deliver(notice_id=notice.pk)
    assert len(notify_log) == 2  # the failure and the success
    text = "\n".join(notify_log)
    assert "138****5678" in text and "13812345678" not in text
    assert Notice.objects.get(pk=notice.pk).last_error == "短信发送失败（ConnectionError）"

import json
from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import Task, TaskResultStatus, task_backends
from django.template import TemplateDoesNotExist
from django.test import override_settings

from portal import notify

pytestmark = pytest.mark.django_db

CONTEXT = {
    "case_number": "SQ20261129000123X",
    "status_label": "已受理",
    "due_date": date(2026, 11, 3),
    "note": "材料齐全",
    "service_name": "最低生活保障申请",
    "phone": "021-12345678",
}


def test_sms_is_recorded_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify.notify(phone="13812345678", email=None, template="case_accepted", context=CONTEXT)
        assert notify.outbox == []  # not before the commit
    assert len(callbacks) == 1
    [sms] = notify.outbox
    assert sms.phone == "13812345678"
    assert sms.message == (
        "【阳光政务】您申请的“最低生活保障申请”（办件编号SQ20261129000123X）已受理，当前状态："
        "已受理。我们将在2026年11月3日前办结。说明：材料齐全。如有疑问请致电021-12345678。"
    )


def test_nothing_is_sent_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify.notify(
            phone="13812345678",
            email="zhang@example.com",
            template="case_rejected",
            context=CONTEXT,
        )
        raise RuntimeError("the action failed")
    assert callbacks == []
    assert notify.outbox == []
    assert mail.outbox == []


def test_email_goes_through_django_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(
            phone=None, email="zhang@example.com", template="case_completed", context=CONTEXT
        )
    [message] = mail.outbox
    assert message.to == ["zhang@example.com"]
    assert message.subject == "【阳光政务】办件SQ20261129000123X进度通知"
    assert "已办结" in message.body and "办理结果：材料齐全。" in message.body
    assert notify.outbox == []


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("case_submitted", "已提交，当前状态：已受理。承诺办结期限：2026年11月3日。"),
        ("case_correction_requested", "需补正：材料齐全。"),
        ("case_rejected", "不予受理，当前状态：已受理。理由：材料齐全。"),
        ("case_completed", "欢迎在“办件查询”栏目对本次服务作出评价。"),
    ],
)
def test_every_case_template_renders_on_one_line(template, expected):
    message = notify.render_message(template, CONTEXT)
    assert "\n" not in message
    assert message.startswith("【阳光政务】您申请的“最低生活保障申请”（办件编号SQ20261129000123X）")
    assert expected in message
    assert message.endswith("如有疑问请致电021-12345678。")


def test_templates_do_not_html_escape_and_tolerate_missing_values():
    message = notify.render_message(
        "case_rejected", {"case_number": "SQ1", "status_label": "不予受理", "note": "A&B <c>"}
    )
    assert message == "【阳光政务】您的办件SQ1不予受理，当前状态：不予受理。理由：A&B <c>。"


def test_unknown_template_fails_at_once():
    with pytest.raises(TemplateDoesNotExist):
        notify.notify(phone="13812345678", email=None, template="nope", context={})


def test_landline_gets_no_sms_and_no_recipient_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify.notify(phone="021-12345678", email=None, template="case_accepted", context=CONTEXT)
        notify.notify(phone=None, email="", template="case_accepted", context=CONTEXT)
    assert callbacks == []
    assert notify.outbox == []


def test_console_backend_masks_the_phone(notify_log):
    with override_settings(NOTIFY_SMS_BACKEND="portal.notify.ConsoleSMSBackend"):
        backend = notify.get_sms_backend()
        assert isinstance(backend, notify.ConsoleSMSBackend)
        backend.send(phone="13812345678", message="您的办件已受理，联系人13900001111。")
    [line] = notify_log
    assert "138****5678" in line
    assert "13812345678" not in line
    assert "13900001111" not in line


def test_the_task_is_a_django_task_enqueued_with_json_args(django_capture_on_commit_callbacks):
    assert isinstance(notify.deliver_notice, Task)
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            notices = notify.notify(
                phone="13812345678",
                email="zhang@example.com",
                template="case_accepted",
                context=CONTEXT,
            )
        results = task_backends["default"].results
    assert [r.task.module_path for r in results] == ["portal.notify.actions.deliver_notice"] * 2
    assert [r.kwargs for r in results] == [{"notice_id": n.pk} for n in notices]
    assert all(r.args == [] and json.loads(json.dumps(r.kwargs)) == r.kwargs for r in results)
    assert notify.outbox == [] and mail.outbox == []  # only queued
    assert {n.status for n in notify.Notice.objects.all()} == {"pending"}


def test_the_notices_are_recorded_with_the_change_and_masked(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        sms, email = notify.notify(
            phone="13812345678",
            email="zhang@example.com",
            template="case_accepted",
            context=CONTEXT,
        )
    assert (sms.channel, sms.recipient, email.channel) == ("sms", "13812345678", "email")
    assert sms.reference == "SQ20261129000123X" and sms.attempts == 0
    assert sms.params["due_date"] == "2026年11月3日" and sms.params["status_label"] == "已受理"
    assert (
        sms.masked_recipient == "138****5678"
        and str(sms) == "短信 → 138****5678（SQ20261129000123X）"
    )
    assert email.masked_recipient == "z***@example.com"
    assert "13812345678" not in str(sms) and "zhang" not in str(email)


def test_the_earlier_task_still_delivers_what_was_queued_before_the_upgrade():
    result = notify.send_notification.enqueue(
        phone="13812345678", email="li@example.com", subject="主题", message="正文"
    )
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sms": True, "email": True}
    assert [m.message for m in notify.outbox] == ["正文"]
    assert mail.outbox[0].to == ["li@example.com"]
    assert {n.status for n in notify.Notice.objects.all()} == {"sent"}


class FailingSMSBackend:
    def send(self, *, phone, message, template="", params=None):
        raise ConnectionError(f"gateway refused {phone}")


def test_a_failed_send_is_kept_for_a_retry_without_personal_data(notify_log):
    [notice] = notify.notify(
        phone="13812345678", email=None, template="case_accepted", context=CONTEXT
    )
    with override_settings(NOTIFY_SMS_BACKEND=f"{__name__}.FailingSMSBackend"):
        result = notify.deliver_notice.enqueue(notice_id=notice.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL  # the attempt ran; the notice waits
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("pending", 1)
    assert notice.last_error == "短信发送失败（ConnectionError）"
    assert "13812345678" not in " ".join(notify_log)
    assert notify_log[-1] == (
        f"通知 {notice.pk} 发送失败（138****5678，第1次），60秒后重试：短信发送失败（ConnectionError）"
    )


def test_database_backend_stores_our_task_and_wagtails(django_capture_on_commit_callbacks):
    """Production's backend (django_tasks_db) accepts our django.tasks task and Wagtail's
    django_tasks-decorated ones, and resolves both back to runnable tasks as its worker does —
    also a task queued under the path of earlier releases."""
    from django_tasks_db.models import DBTaskResult
    from wagtail.tasks import update_reference_index_task

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            notify.notify(
                phone="13812345678", email=None, template="case_accepted", context=CONTEXT
            )
        [ours] = DBTaskResult.objects.filter(task_path__startswith="portal.notify")
        theirs = update_reference_index_task.enqueue("portal", "organisation", 1)
        assert ours.status == theirs.status == TaskResultStatus.READY
        assert ours.task.func is notify.deliver_notice.func
        assert DBTaskResult.objects.get(id=theirs.id).task.func is update_reference_index_task.func
        assert ours.task.call(**ours.args_kwargs["kwargs"])["status"] == "sent"
        old = notify.send_notification.enqueue(
            phone="13900001111", email=None, subject="主题", message="正文"
        )
        DBTaskResult.objects.filter(id=old.id).update(task_path="portal.notify.send_notification")
        assert DBTaskResult.objects.get(id=old.id).task.func is notify.send_notification.func
    assert [m.phone for m in notify.outbox] == ["13812345678"]

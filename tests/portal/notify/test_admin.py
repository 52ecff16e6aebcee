"""报表 › 未送达通知: what staff see of notices that could not be delivered, and 重发."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import ModelLogEntry

from portal import notify
from portal.notify import DeliveryError, Notice, NoticeStatus
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import submit, two_district_world
from tests.services.case_fixtures import case_world

from .test_retries import ScriptedSMSBackend

pytestmark = pytest.mark.django_db
LIST = "/admin/reports/undelivered-notices/"
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def world(settings, django_capture_on_commit_callbacks):
    """District A's centre handles a case whose SMS failed every attempt (the gateway was down);
    district B one whose number the gateway refused."""
    settings.NOTIFY_SMS_BACKEND = f"{__name__.rsplit('.', 1)[0]}.test_retries.ScriptedSMSBackend"
    settings.NOTIFY_RETRY_DELAYS = [60]
    ScriptedSMSBackend.plan, ScriptedSMSBackend.sent = [], []
    ScriptedSMSBackend.during_send = None
    w = two_district_world(case_world())
    with freeze_time(START) as clock:
        ScriptedSMSBackend.plan = [ConnectionError("down"), ConnectionError("still down")]
        with django_capture_on_commit_callbacks(execute=True):
            w["case_a"] = submit(w["guide"])  # first attempt: by the task after the commit
        clock.tick(timedelta(seconds=61))
        notify.notices_send_due()  # second and last attempt: by the sweeper
        ScriptedSMSBackend.plan = [DeliveryError("短信网关返回错误 INVALID_PHONE", retryable=False)]
        with django_capture_on_commit_callbacks(execute=True):
            w["case_b"] = submit(w["guide_b"], applicant_phone="13900002222")
    w["notice_a"] = Notice.objects.get(reference=w["case_a"].case_number)
    w["notice_b"] = Notice.objects.get(reference=w["case_b"].case_number)
    w["orphan"] = Notice.objects.create(
        channel="email",
        recipient="wang@example.com",
        template="",
        body="正文",
        status=NoticeStatus.FAILED,
        attempts=6,
        last_error="无法连接邮件服务器（ConnectionRefusedError）",
    )
    return w


def test_a_notice_that_failed_every_attempt_is_listed_masked(client, world):
    notice = world["notice_a"]
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 2)
    assert notice.organisation == world["tree"]["centre_a1"]
    client.force_login(world["staff_a"])
    assert LIST in client.get("/admin/").content.decode()  # 报表 › 未送达通知
    html = client.get(LIST).content.decode()
    assert "未送达通知" in html
    assert world["case_a"].case_number in html
    assert reverse("workbench:case", args=[world["case_a"].case_number]) in html
    assert "138****1234" in html and "13812341234" not in html
    assert "短信发送失败（ConnectionError）" in html
    assert reverse("portal_notice_resend", args=[notice.pk]) in html


def test_the_list_is_scoped_to_the_staff_members_subtree(client, world, django_user_model):
    a, b = world["case_a"].case_number, world["case_b"].case_number
    client.force_login(world["staff_b"])
    html = client.get(LIST).content.decode()
    assert b in html and a not in html and "w***@example.com" not in html
    assert "139****2222" in html and "13900002222" not in html

    client.force_login(world["staff_centre"])
    html = client.get(LIST).content.decode()
    assert a in html and b not in html

    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    html = client.get(LIST).content.decode()
    assert a in html and b in html and "w***@example.com" in html
    assert "wang@example.com" not in html


def test_staff_cannot_resend_another_organisations_notice(client, world):
    client.force_login(world["staff_b"])
    response = client.post(reverse("portal_notice_resend", args=[world["notice_a"].pk]))
    assert response.status_code == 404
    world["notice_a"].refresh_from_db()
    assert world["notice_a"].status == NoticeStatus.FAILED
    assert not ModelLogEntry.objects.filter(action="portal.notice.resend").exists()


def test_resend_queues_the_notice_again_and_is_audited(
    client, world, django_capture_on_commit_callbacks, django_user_model
):
    notice = world["notice_a"]
    client.force_login(world["staff_a"])
    url = reverse("portal_notice_resend", args=[notice.pk])
    assert client.get(url).status_code == 405  # POST only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": LIST + "?show=failed"}, follow=True)
    assert response.redirect_chain == [(LIST + "?show=failed", 302)]
    page = response.content.decode()
    assert "已重新发送通知（短信 → 138****1234）。" in page
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)
    assert ScriptedSMSBackend.sent == ["13812341234"]
    [entry] = ModelLogEntry.objects.filter(action="portal.notice.resend")
    assert entry.user_id == world["staff_a"].pk and entry.object_id == str(notice.pk)
    assert entry.label == f"短信 → 138****1234（{world['case_a'].case_number}）"
    assert entry.data["attempts"] == 2 and entry.data["recipient"] == "138****1234"
    assert "13812341234" not in str(entry.data)
    # In 报表 › 审计日志 too (Wagtail shows model log entries to superusers).
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    audit = client.get(reverse("portal_audit_log")).content.decode()
    assert "重发通知" in audit and "138****1234" in audit and "13812341234" not in audit
    client.force_login(world["staff_a"])
    # A notice that is no longer failed is not resent again.
    response = client.post(url, follow=True)
    assert "该通知不是发送失败状态，无需重发。" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="portal.notice.resend").count() == 1


def test_the_retrying_filter_shows_notices_still_being_retried(client, world):
    Notice.objects.filter(pk=world["notice_a"].pk).update(
        status=NoticeStatus.PENDING, next_attempt_at=START + timedelta(hours=2)
    )
    client.force_login(world["staff_a"])
    assert world["case_a"].case_number not in client.get(LIST).content.decode()
    html = client.get(LIST + "?show=retrying").content.decode()
    assert world["case_a"].case_number in html and "重试中" in html
    assert reverse("portal_notice_resend", args=[world["notice_a"].pk]) not in html


def test_admin_users_without_an_organisation_are_refused(client, world):
    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert LIST not in client.get("/admin/").content.decode()
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(reverse("portal_notice_resend", args=[world["notice_a"].pk]))
    assert response.status_code == 302
    world["notice_a"].refresh_from_db()
    assert world["notice_a"].status == NoticeStatus.FAILED


def test_the_list_costs_the_same_for_few_and_many(client, world, django_assert_max_num_queries):
    client.force_login(world["staff_a"])
    client.get(LIST)  # warm the session and the menu
    with django_assert_max_num_queries(16) as few:
        client.get(LIST)
    notice = world["notice_a"]
    Notice.objects.bulk_create(
        [
            Notice(
                channel="sms",
                recipient="13812341234",
                organisation=notice.organisation,
                reference=notice.reference,
                template="case_accepted",
                body="正文",
                status=NoticeStatus.FAILED,
                attempts=2,
            )
            for _ in range(60)
        ]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(LIST).content.decode()
    assert "第 1 / 2 页，共 61 条" in html

"""End to end: the scheduled command queues the monthly task, which draws last month and sends the
links through notify; an applicant answers through the link and the answer is counted."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from portal.notify.models import Notice
from portal.surveys.models import SurveyDraw, SurveyInvitation
from portal.surveys.selectors import survey_report
from tests.factories import org_tree

from .world import at, complaint, questionnaire, request

pytestmark = pytest.mark.django_db


def test_the_monthly_task_sends_links_and_an_answer_through_one_is_counted(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_PUBLISH_MINIMUM = 1
    tree = org_tree()
    q = questionnaire(sample_size=2, sample_rate=100)
    scale = q.questions.get(kind="scale")
    single = q.questions.get(kind="single")
    for day in (3, 9, 17):
        complaint(tree["district_a"], at(10, day), email=f"u{day}@example.com")
    request(tree["district_b"], at(10, 20), phone="", email="r@example.com")
    request(tree["district_b"], at(10, 21), phone="", email="")  # skipped: no contact
    with freeze_time("2026-11-01 06:15:00+08:00"):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("draw_surveys", verbosity=0)
        # run again (the timer fires daily): nothing new
        with django_capture_on_commit_callbacks(execute=True):
            call_command("draw_surveys", verbosity=0)
    draws = {d.organisation_id: d for d in SurveyDraw.objects.all()}
    assert (draws[tree["district_a"].pk].sampled, draws[tree["district_b"].pk].sampled) == (2, 1)
    assert draws[tree["district_b"].pk].no_contact == 1
    assert SurveyInvitation.objects.count() == 3
    # district_a's two by SMS and mail, district_b's one by mail only; all delivered
    assert Notice.objects.filter(status="sent").count() == 5
    assert len(mail.outbox) == 3
    link = re.search(r"https?://[^/\s]+(/hdjl/wj/d/[A-Za-z0-9_-]+/)", mail.outbox[0].body).group(1)
    with freeze_time("2026-11-05 20:00:00+08:00"):
        page = client.get(link)
        assert page.status_code == 200
        token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
        done = client.post(
            link, {"form_token": token, f"q{scale.pk}": "4", f"q{single.pk}": "一次办成"}
        )
        assert "问卷已提交" in done.content.decode()
    with freeze_time("2026-12-02 12:00:00+08:00"):  # 31 days after: the others have expired
        other = re.search(r"(/hdjl/wj/d/[A-Za-z0-9_-]+/)", mail.outbox[1].body).group(1)
        assert client.get(other).status_code == 410
    report = survey_report(year=2026, month=10)
    assert (report["total"].sampled, report["total"].answered) == (3, 1)
    assert report["total"].satisfaction_rate == 1
    assert SurveyInvitation.objects.filter(answered_at__isnull=False).count() == 1
    q.refresh_from_db()
    assert q.frozen_at is not None and timezone.localdate(q.frozen_at).isoformat() == "2026-11-01"


def test_the_command_checks_its_month(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="同时指定"):
        call_command("draw_surveys", year=2026)
    with pytest.raises(CommandError, match="1到12"):
        call_command("draw_surveys", year=2026, month=13)


def test_a_failed_sms_is_retried_with_the_same_link(settings, django_capture_on_commit_callbacks):
    from portal.notify import DeliveryError
    from tests.portal.notify.test_retries import ScriptedSMSBackend

    settings.NOTIFY_SMS_BACKEND = "tests.portal.notify.test_retries.ScriptedSMSBackend"
    ScriptedSMSBackend.plan = [DeliveryError("短信网关暂时不可用", retryable=True)]
    ScriptedSMSBackend.sent, ScriptedSMSBackend.during_send = [], None
    tree = org_tree()
    questionnaire()
    complaint(tree["district_a"], at(10, 8), phone="13712345678")
    with (
        freeze_time("2026-11-01 06:15:00+08:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("draw_surveys", "--now", verbosity=0)
    notice = Notice.objects.get()
    assert notice.status == "pending" and notice.attempts == 1 and not ScriptedSMSBackend.sent
    with freeze_time("2026-11-01 06:30:00+08:00"):  # past the first back-off (60 s)
        call_command("send_pending_notices", verbosity=0)
    notice.refresh_from_db()
    assert notice.status == "sent" and ScriptedSMSBackend.sent == ["13712345678"]
    assert "/hdjl/wj/d/" in notice.body and SurveyInvitation.objects.count() == 1

import pytest
from django.core import mail

from portal import notify
from portal.cases.actions import case_act
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission

pytestmark = pytest.mark.django_db


def test_applicant_is_told_of_each_public_change_after_commit(django_capture_on_commit_callbacks):
    world = case_world()
    with django_capture_on_commit_callbacks(execute=True):
        application, _code = application_submit(
            **valid_submission(world["guide"], applicant_email="zhang@example.com")
        )
    assert len(notify.outbox) == 1
    first = notify.outbox[0]
    assert first.phone == "13812341234"
    assert application.case_number in first.message and "最低生活保障申请" in first.message
    assert "021-63219012" in first.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhang@example.com"]

    with django_capture_on_commit_callbacks(execute=True):
        case_act(
            application,
            action="request_correction",
            actor=None,
            organisation_ids=None,
            version=None,
            data={"items": ["户口簿复印件"]},
        )
    assert len(notify.outbox) == 2
    assert "补正" in notify.outbox[1].message and "户口簿复印件" in notify.outbox[1].message


def test_nothing_is_sent_when_the_change_fails():
    world = case_world()
    data = valid_submission(world["guide"], applicant_id_number="123")
    with pytest.raises(Exception):  # noqa: B017 - any failure
        application_submit(**data)
    assert notify.outbox == []
    assert not notify.Notice.objects.exists()


def test_the_notices_are_recorded_in_the_changes_transaction():
    """Written with the case, before any commit hook runs: a lost task loses no notice."""
    world = case_world()
    application = application_submit(
        **valid_submission(world["guide"], applicant_email="zhang@example.com")
    )[0]
    sms, email = notify.Notice.objects.order_by("channel").reverse()
    assert (sms.channel, sms.recipient, email.recipient) == (
        "sms",
        "13812341234",
        "zhang@example.com",
    )
    assert {sms.status, email.status} == {"pending"}
    assert sms.organisation == email.organisation == application.organisation
    assert sms.reference == application.case_number and sms.template == "case_submitted"
    assert notify.outbox == []  # sent only after the commit


def test_a_note_ending_in_a_full_stop_is_not_doubled(django_capture_on_commit_callbacks):
    world = case_world()
    application, _code = application_submit(**valid_submission(world["guide"]))
    with django_capture_on_commit_callbacks(execute=True):
        case_act(
            application,
            action="reject",
            actor=None,
            organisation_ids=None,
            version=None,
            note="不属于本机关职责，请向所在街道反映。",
        )
    message = notify.outbox[-1].message
    assert "请向所在街道反映。" in message and "。。" not in message

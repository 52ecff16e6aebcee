"""Deadlines that reach a year the working-day calendar does not know yet. Next year (its schedule
is published in November and typed in later): the case gets a provisional due date counted from
the statutory holidays of 《全国年节及纪念日放假办法》 and weekends, shown as 预计 with the reason,
and recomputed — with a timeline note — when the schedule is entered. Any other unknown year: the
due date stays empty and says why (never a guess)."""

from datetime import date

import pytest
from freezegun import freeze_time

from portal.cases.models import CaseEvent
from portal.workdays import WorkdayOverride, WorkdayYear
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission

pytestmark = pytest.mark.django_db


def enter_2027(django_capture_on_commit_callbacks, *days):
    with django_capture_on_commit_callbacks(execute=True):
        year = WorkdayYear.objects.create(year=2027, complete=True, source="测试")
        for day, is_workday, name in days:
            WorkdayOverride.objects.create(
                calendar_year=year, date=day, is_workday=is_workday, name=name
            )


def test_next_year_gets_a_provisional_date_confirmed_when_the_year_is_entered(
    client, django_capture_on_commit_callbacks
):
    world = case_world()
    with freeze_time("2026-12-24 10:00:00+08:00"):
        application, code = application_submit(**valid_submission(world["guide"]))
        # 10 working days after 12-24: 25, 28, 29, 30, 31, (元旦 1-1), 1-4, 5, 6, 7, 8
        assert application.due_date == date(2027, 1, 8) and application.due_date_provisional
        assert "预计：2027年节假日安排尚未公布录入" in application.deadline_explanation
        assert "《全国年节及纪念日放假办法》" in application.deadline_explanation
        lookup = client.post(
            "/api/v1/cases/lookup",
            {"case_number": application.case_number, "query_code": code},
            content_type="application/json",
        ).json()
        assert lookup["due_date"] == "2027-01-08" and lookup["due_date_provisional"] is True

    enter_2027(django_capture_on_commit_callbacks, (date(2027, 1, 1), False, "元旦"))
    application.refresh_from_db()
    assert application.due_date == date(2027, 1, 8) and not application.due_date_provisional
    assert "预计" not in application.deadline_explanation
    event = CaseEvent.objects.get(case_number=application.case_number, action="recompute_deadline")
    assert event.public and "预计的办理期限2027年1月8日得到确认" in event.note


def test_a_schedule_that_differs_moves_the_date_with_a_note(django_capture_on_commit_callbacks):
    world = case_world()
    with freeze_time("2026-12-24 10:00:00+08:00"):
        application, _code = application_submit(**valid_submission(world["guide"]))
    assert application.due_date == date(2027, 1, 8)
    # the State Council adds 1-4 to the 元旦 break (made up on a Saturday after the period)
    enter_2027(
        django_capture_on_commit_callbacks,
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 1, 4), False, "元旦"),
    )
    application.refresh_from_db()
    assert application.due_date == date(2027, 1, 11) and not application.due_date_provisional
    event = CaseEvent.objects.get(case_number=application.case_number, action="recompute_deadline")
    assert "办理期限由预计的2027年1月8日重新计算为2027年1月11日" in event.note


def test_a_year_beyond_next_stays_pending_never_guessed():
    """In 2027 with no 2027 data at all (this year, not next): nothing is guessed."""
    world = case_world()
    with freeze_time("2027-03-01 10:00:00+08:00"):
        application, _code = application_submit(**valid_submission(world["guide"]))
    assert application.pk and application.due_date is None
    assert not application.due_date_provisional
    assert "2027年法定节假日安排尚未发布录入，办理期限待定" in application.deadline_explanation


def test_recomputing_again_changes_nothing_and_leaves_unknown_years_alone():
    """A second sweep finds nothing new to say (no second timeline note), and a case whose year
    is still unknown keeps its empty due date."""
    from portal.cases.actions import recompute_pending_deadlines

    world = case_world()
    with freeze_time("2026-12-24 10:00:00+08:00"):
        provisional, _code = application_submit(**valid_submission(world["guide"]))
    with freeze_time("2027-03-01 10:00:00+08:00"):
        pending, _code = application_submit(**valid_submission(world["guide"]))
        assert recompute_pending_deadlines() == 0  # still provisional on the same date; 待定 stays
    provisional.refresh_from_db()
    pending.refresh_from_db()
    assert provisional.due_date == date(2027, 1, 8) and provisional.due_date_provisional
    assert pending.due_date is None
    assert not CaseEvent.objects.filter(action="recompute_deadline").exists()


def test_the_access_log_refuses_unknown_values():
    """An access log entry of an unknown kind or channel would be unreadable in 报表: refused,
    nothing written."""
    from portal.cases.actions import case_access_record
    from portal.cases.models import CaseAccessLog
    from tests.factories import UserFactory

    world = case_world()
    with freeze_time("2026-11-02 10:00:00+08:00"):
        application, _code = application_submit(**valid_submission(world["guide"]))
    with pytest.raises(ValueError, match="unknown case access"):
        case_access_record(user=UserFactory(), case=application, access="peek", channel="web")
    assert not CaseAccessLog.objects.exists()


def test_a_transition_on_a_case_that_is_gone_is_not_found():
    """Staff acting on a case removed meanwhile (another tab, a purge) get 未找到 (404), not a
    traceback."""
    from portal.cases.actions import case_transition
    from portal.cases.errors import CaseNotFound
    from services.models import Application

    world = case_world()
    with freeze_time("2026-11-02 10:00:00+08:00"):
        application, _code = application_submit(**valid_submission(world["guide"]))
    Application.objects.filter(pk=application.pk).delete()
    with pytest.raises(CaseNotFound):
        case_transition(application, action="accept", by="staff")

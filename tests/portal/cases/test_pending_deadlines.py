"""Deadlines that reach a year the working-day calendar does not know yet: the case is accepted,
its due date stays empty and says why (never a guess), and entering the year fills it in."""

from datetime import date

import pytest
from freezegun import freeze_time

from portal.workdays import WorkdayOverride, WorkdayYear
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission

pytestmark = pytest.mark.django_db


def test_case_is_kept_with_a_pending_deadline_until_the_year_is_entered(
    django_capture_on_commit_callbacks,
):
    world = case_world()
    with freeze_time("2026-12-24 10:00:00+08:00"):
        application, _code = application_submit(**valid_submission(world["guide"]))
    assert application.pk and application.due_date is None
    assert "2027年法定节假日安排尚未发布录入，办理期限待定" in application.deadline_explanation

    with django_capture_on_commit_callbacks(execute=True):
        year = WorkdayYear.objects.create(year=2027, complete=True, source="测试")
        WorkdayOverride.objects.create(
            calendar_year=year, date=date(2027, 1, 1), is_workday=False, name="元旦"
        )
    application.refresh_from_db()
    # 10 working days after 2026-12-24: 25, 28, 29, 30, 31, (1-1 holiday), 1-4, 5, 6, 7, 8.
    assert application.due_date == date(2027, 1, 8)
    assert "2027年1月8日" in application.deadline_explanation

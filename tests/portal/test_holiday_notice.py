"""The yearly schedule from the State Council's notice (portal/holiday_notice.py and its admin
page), and the warning from 1 November until next year's schedule is entered."""

import datetime

import chinese_calendar
import pytest
from django.urls import reverse
from freezegun import freeze_time

from portal import workdays
from portal.holiday_notice import parse_notice, schedule_import
from portal.workdays import WorkdayOverride, WorkdayYear, missing_schedule_years
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import staff_user
from tests.portal.holiday_notices import NOTICE_2025, NOTICE_2026

IMPORT = "/admin/workdays/import/"


def _package(year):
    holidays = {d for d in chinese_calendar.holidays if d.year == year}
    workdays_ = {d for d in chinese_calendar.workdays if d.year == year and d.weekday() >= 5}
    return holidays, workdays_


@pytest.mark.parametrize(("text", "year"), [(NOTICE_2025, 2025), (NOTICE_2026, 2026)])
def test_the_real_notices_read_as_the_calendar_package_has_them(text, year):
    schedule = parse_notice(text)
    assert schedule.ok, schedule.problems
    assert schedule.year == year
    assert schedule.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    holidays, workdays_ = _package(year)
    assert {d.date for d in schedule.holidays} == holidays
    assert {d.date for d in schedule.workdays} == workdays_


def test_names_come_from_the_items():
    schedule = parse_notice(NOTICE_2026)
    by_date = {d.date: d for d in schedule.days}
    assert by_date[datetime.date(2026, 2, 15)].name == "春节"
    assert by_date[datetime.date(2026, 2, 28)].name == "春节调休上班"
    assert by_date[datetime.date(2026, 2, 28)].is_workday
    assert by_date[datetime.date(2026, 1, 4)].name == "元旦调休上班"
    assert by_date[datetime.date(2026, 10, 10)].weekday == "星期六"
    assert parse_notice(NOTICE_2025).days[-1].name == "国庆节、中秋节调休上班"


def test_a_single_day_and_a_span_across_the_new_year():
    text = (
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、元旦：1月1日（周五）放假1天，不调休。\n"
        "二、春节：2月5日（周五）至2月11日（周四）放假调休，共7天。2月20日（周六）上班。"
    )
    schedule = parse_notice(text)
    assert schedule.ok, schedule.problems
    assert [d.date.isoformat() for d in schedule.holidays][:2] == ["2027-01-01", "2027-02-05"]
    assert len(schedule.holidays) == 8
    assert [d.date.isoformat() for d in schedule.workdays] == ["2027-02-20"]

    across = parse_notice(
        "国务院办公厅关于2023年部分节假日安排的通知\n"
        "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。"
    )
    assert across.ok, across.problems
    assert [d.date.isoformat() for d in across.days] == ["2023-01-01", "2023-01-02"]
    assert [d.date.isoformat() for d in across.skipped] == ["2022-12-31"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # the weekday in brackets does not match: wrong year or a typo
        (
            "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周三）放假1天。",
            "实为星期四",
        ),
        # 共N天 does not match the span
        (
            "国务院办公厅关于2026年部分节假日安排的通知\n一、清明节：4月4日至6日放假，共4天。",
            "与通知所写4天不符",
        ),
        # a make-up workday on a weekday
        (
            "国务院办公厅关于2026年部分节假日安排的通知\n一、劳动节：5月1日至5日放假调休，共5天。5月8日上班。",
            "不应列为调休上班",
        ),
        ("一、元旦：1月1日放假1天。", "未能识别年份"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n放假安排另行通知。", "未能识别任何节日条目"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：另行通知。", "未找到放假日期"),
    ],
)
def test_what_does_not_add_up_is_reported_and_not_saveable(text, problem):
    schedule = parse_notice(text)
    assert not schedule.ok
    assert any(problem in p for p in schedule.problems), schedule.problems
    with pytest.raises(ValueError):
        schedule_import(schedule)


@pytest.mark.django_db
def test_import_replaces_the_year_and_marks_it_complete():
    text = NOTICE_2026.replace("2026年", "2037年", 1)  # the same items, a year with no package data
    schedule = parse_notice(text, year=2037)
    assert schedule.year == 2037
    schedule.problems = []  # the weekdays of 2026 do not hold in 2037: saved as read, for the test
    old = WorkdayYear.objects.create(year=2037)
    WorkdayOverride.objects.create(calendar_year=old, date=datetime.date(2037, 3, 3), name="旧")
    year = schedule_import(schedule, source="国办发明电〔2036〕1号")
    assert year.pk == old.pk and year.complete and year.source == "国办发明电〔2036〕1号"
    assert WorkdayOverride.objects.filter(calendar_year=year).count() == len(schedule.days)
    assert not WorkdayOverride.objects.filter(name="旧").exists()
    assert workdays.is_working_day(datetime.date(2037, 2, 28))  # 调休上班, a Saturday
    assert not workdays.is_working_day(datetime.date(2037, 10, 5))
    assert workdays.is_working_day(datetime.date(2037, 3, 3))  # complete: a plain weekday


def _notice_2027():
    """A 2027 notice in the same shape (the real one is not published yet)."""
    return (
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
        "二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。"
        "2月20日（周六）上班。\n"
        "三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"
    )


@pytest.mark.django_db
class TestAdmin:
    def test_paste_preview_confirm(self, client):
        client.force_login(UserFactory(username="root", is_superuser=True))
        assert client.get(IMPORT).status_code == 200

        preview = client.post(IMPORT, {"text": _notice_2027(), "preview": "1"})
        body = preview.content.decode()
        assert preview.status_code == 200
        assert "data-schedule-preview" in body and "确认保存2027年安排" in body
        assert "2027-02-20" in body and "春节调休上班" in body
        assert not WorkdayYear.objects.filter(year=2027).exists()  # nothing saved before confirm

        with pytest.raises(workdays.WorkdayCalendarError):
            workdays.is_working_day(datetime.date(2027, 3, 1))
        done = client.post(
            IMPORT, {"text": _notice_2027(), "source": "国办发明电〔2026〕9号", "confirm": "1"}
        )
        year = WorkdayYear.objects.get(year=2027)
        assert done.status_code == 302
        assert done["Location"] == reverse(
            "wagtailsnippets_portal_workdayyear:edit", args=[year.pk]
        )
        assert year.complete and year.source == "国办发明电〔2026〕9号"
        assert year.days.filter(is_workday=True).count() == 3
        assert year.days.filter(is_workday=False).count() == 17
        assert workdays.is_working_day(datetime.date(2027, 2, 20))
        assert not workdays.is_working_day(datetime.date(2027, 2, 8))

    def test_a_notice_with_problems_cannot_be_confirmed(self, client):
        client.force_login(UserFactory(username="root", is_superuser=True))
        bad = _notice_2027().replace("共7天。2月20日", "共8天。2月20日")
        response = client.post(IMPORT, {"text": bad, "confirm": "1"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "与通知所写8天不符" in body and "确认保存" not in body
        assert not WorkdayYear.objects.filter(year=2027).exists()

    def test_staff_without_the_permission_are_refused(self, client):
        from tests.factories import org_tree

        handler = staff_user(org_tree()["district_a"], "handler_a")
        client.force_login(handler)
        response = client.post(IMPORT, {"text": _notice_2027(), "confirm": "1"})
        assert response.status_code in (302, 403)
        assert not WorkdayYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
class TestWarning:
    def test_from_the_first_of_november_until_next_year_is_entered(self):
        assert missing_schedule_years(datetime.date(2026, 10, 31)) == []
        assert missing_schedule_years(datetime.date(2026, 11, 1)) == [2027]
        assert missing_schedule_years(datetime.date(2027, 1, 5)) == [2027]
        WorkdayYear.objects.create(year=2027, complete=False)  # typed in part: still missing
        assert missing_schedule_years(datetime.date(2026, 11, 1)) == [2027]
        WorkdayYear.objects.filter(year=2027).update(complete=True)
        workdays.cache.delete(workdays.CACHE_KEY)  # .update() sends no signal
        assert missing_schedule_years(datetime.date(2026, 11, 1)) == []
        assert missing_schedule_years(datetime.date(2027, 11, 1)) == [2028]

    @freeze_time("2026-11-02 09:00:00+08:00")
    def test_staff_see_it_on_the_dashboard_and_the_workbench(self, client):
        from tests.factories import org_tree

        handler = staff_user(org_tree()["district_a"], "handler_a")
        client.force_login(handler)
        for url in (reverse("wagtailadmin_home"), reverse("workbench:list")):
            body = client.get(url).content.decode()
            assert "data-workday-warning" in body, url
            assert "尚未录入2027年的法定节假日安排" in body
            assert IMPORT not in body  # a handler cannot enter it: told whom to ask
            assert "请联系系统管理员录入" in body

        client.force_login(UserFactory(username="root", is_superuser=True))
        body = client.get(reverse("wagtailadmin_home")).content.decode()
        assert f'href="{IMPORT}"' in body

        client.post(IMPORT, {"text": _notice_2027(), "confirm": "1"})
        body = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "data-workday-warning" not in body

    @freeze_time("2026-10-31 09:00:00+08:00")
    def test_no_warning_in_october(self, client):
        client.force_login(UserFactory(username="root", is_superuser=True))
        assert (
            "data-workday-warning" not in client.get(reverse("wagtailadmin_home")).content.decode()
        )

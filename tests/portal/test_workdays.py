"""The working-day calendar. Expected dates below were counted by hand from the State Council
schedules (国办发明电〔2024〕12号 for 2025, 国办发明电〔2025〕7号 for 2026), which the first tests
check against the chinese-calendar package's data."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal import workdays
from portal.demo import site as demo
from portal.workdays import (
    WorkdayCalendarError,
    WorkdayOverride,
    WorkdayYear,
    add_working_days,
    explain_due_date,
    get_calendar,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def _year(year, *, complete=False, days=()):
    calendar_year = WorkdayYear.objects.create(year=year, complete=complete)
    for day, is_workday, name in days:
        WorkdayOverride.objects.create(
            calendar_year=calendar_year, date=day, is_workday=is_workday, name=name
        )
    return calendar_year


# --- the official schedules, as the package has them -------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2025 春节: 1月28日(二)–2月4日(二) off; 1月26日(日) and 2月8日(六) worked.
        (date(2025, 1, 26), True),
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),
        # 2025 国庆+中秋: 10月1日(三)–8日(三) off; 9月28日(日) and 10月11日(六) worked.
        (date(2025, 9, 28), True),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        # 2026 春节: 2月15日(日)–23日(一) off; 2月14日(六) and 2月28日(六) worked.
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        # 2026 中秋 9月25日–27日, 国庆 10月1日(四)–7日(三); 9月20日(日) and 10月10日(六) worked.
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        # ordinary days
        (date(2026, 11, 27), True),
        (date(2026, 11, 28), False),
    ],
)
def test_is_working_day_follows_the_official_schedule(day, working):
    assert is_working_day(day) is working


# --- counting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # 2025 春节. From Fri 1月24日: 26日(日,调休)=1, 27日=2, 28日–2月4日 off, 2月5日=3.
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        # … 6日=4, 7日=5, 8日(六,调休)=6, 9日(日) off, 10日=7.
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # 2025 国庆. From Fri 9月26日: 27日(六) off, 28日(日,调休)=1.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        # From Tue 9月30日: 10月1日–8日 off, 9日=1, 10日=2, 11日(六,调休)=3, 12日 off, 13日=4, 14日=5.
        (date(2025, 9, 30), 5, date(2025, 10, 14)),
        # 2026 春节. From Thu 2月12日: 13日=1, 14日(六,调休)=2.
        (date(2026, 2, 12), 2, date(2026, 2, 14)),
        # … 15日–23日 off, 24日–27日=3..6, 28日(六,调休)=7, 3月1日 off, 2日=8, 3日=9, 4日=10.
        (date(2026, 2, 12), 10, date(2026, 3, 4)),
        # 2026 中秋. From Fri 9月18日: 19日(六) off, 20日(日,调休)=1.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        # From Thu 9月24日: 25日–27日 off, 28日(一)=1.
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        # 2026 国庆. From Wed 9月30日: 10月1日–7日 off, 8日=1, 9日=2, 10日(六,调休)=3, 11日 off,
        # 12–16日=4..8, 19–23日=9..13, 26–30日=14..18, 11月2日=19, 3日=20.
        (date(2026, 9, 30), 20, date(2026, 11, 3)),
    ],
)
def test_add_working_days_across_holidays_and_makeup_days(start, n, due):
    assert add_working_days(start, n) == due


def test_n_zero_returns_start_even_on_a_holiday_and_n_one_is_the_next_working_day():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 26)  # Wed → Thu
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri → Mon


def test_start_on_a_holiday_weekend_or_makeup_day_counts_from_the_next_day():
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)  # Sat in the holiday
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # ordinary Sat
    assert add_working_days(date(2026, 10, 10), 1) == date(2026, 10, 12)  # 调休 Sat


def test_package_find_workday_is_not_what_we_compute():
    """The package's own helper is off by one from a non-working start (why we count ourselves)."""
    import chinese_calendar

    assert chinese_calendar.find_workday(1, date(2026, 10, 3)) != add_working_days(
        date(2026, 10, 3), 1
    )


@pytest.mark.parametrize("n", [-1, 1.5, "3"])
def test_n_must_be_a_non_negative_integer(n):
    with pytest.raises(ValueError, match="非负整数"):
        add_working_days(date(2026, 1, 5), n)


def test_working_days_between_counts_the_half_open_interval_and_agrees_with_adding():
    assert working_days_between(date(2026, 9, 30), date(2026, 11, 3)) == 20
    assert working_days_between(date(2026, 11, 3), date(2026, 9, 30)) == -20
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 10)) == 1  # 调休 Sat counts
    assert working_days_between(date(2026, 5, 6), date(2026, 5, 6)) == 0
    calendar = get_calendar()
    for start in (date(2025, 1, 20), date(2025, 9, 25), date(2026, 2, 10), date(2026, 9, 28)):
        for n in range(1, 25):
            due = calendar.add_working_days(start, n)
            assert calendar.working_days_between(start, due) == n
            assert calendar.is_working_day(due)


# --- the admin table ---------------------------------------------------------------------------


def test_override_rows_win_over_the_package():
    _year(
        2026,
        days=[
            (date(2026, 10, 8), False, "防汛防台停止办公"),  # a package workday made a day off
            (date(2026, 10, 10), False, "取消调休"),  # a package 调休 Saturday made a day off
            (date(2026, 11, 28), True, "调休上班"),  # an ordinary Saturday made a workday
        ],
    )
    assert not is_working_day(date(2026, 10, 8))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 12)
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 28)


def test_a_year_without_data_raises_a_clear_error_naming_the_year():
    with pytest.raises(WorkdayCalendarError) as excinfo:
        add_working_days(date(2026, 12, 25), 5)  # 28–31日 = 4, then 2027年1月1日 is unknown
    assert excinfo.value.year == 2027
    assert "2027年" in str(excinfo.value)
    assert add_working_days(date(2026, 12, 25), 4) == date(2026, 12, 31)
    with pytest.raises(WorkdayCalendarError, match="2030年"):
        is_working_day(date(2030, 3, 1))


def test_rows_alone_do_not_make_a_year_known_until_it_is_marked_complete():
    calendar_year = _year(2027, days=[(date(2027, 1, 1), False, "元旦")])
    assert not is_working_day(date(2027, 1, 1))
    with pytest.raises(WorkdayCalendarError, match="2027年"):
        add_working_days(date(2026, 12, 25), 5)
    calendar_year.complete = True
    calendar_year.save()
    # 2027年1月1日 is a Friday: 元旦 off, 2日–3日 weekend, 4日(一) = 5.
    assert add_working_days(date(2026, 12, 25), 5) == date(2027, 1, 4)
    assert is_working_day(date(2027, 3, 1))  # plain Monday in a complete year


# --- explanation -------------------------------------------------------------------------------


def test_explanation_names_the_skipped_holidays_and_makeup_days():
    explanation = explain_due_date(date(2026, 9, 30), 20)
    assert explanation.due == add_working_days(date(2026, 9, 30), 20) == date(2026, 11, 3)
    assert [(s.first, s.last, s.names) for s in explanation.holidays] == [
        (date(2026, 10, 1), date(2026, 10, 7), ("国庆节",))
    ]
    assert [d.date for d in explanation.makeup_workdays] == [date(2026, 10, 10)]
    assert explanation.weekend_days == 7  # 10月11、17、18、24、25、31日, 11月1日
    assert explanation.text == (
        "受理日2026年9月30日，自次日起算20个工作日，跳过国庆节 10月1日–7日；"
        "10月10日（星期六）国庆节调休上班，计为工作日；另跳过周末7天；期限为2026年11月3日。"
    )


def test_explanation_merges_adjacent_holidays_and_lists_makeup_days_once_per_name():
    text = explain_due_date(date(2025, 9, 30), 5).text
    assert "跳过国庆节、中秋 10月1日–8日" in text
    text = explain_due_date(date(2025, 1, 24), 7, start_label="补正日").text
    assert text.startswith("补正日2025年1月24日，自次日起算7个工作日")
    assert "春节 1月28日–2月4日" in text
    assert "1月26日（星期日）、2月8日（星期六）春节调休上班，计为工作日" in text
    assert explain_due_date(date(2026, 11, 27), 1).text == (
        "受理日2026年11月27日，自次日起算1个工作日，跳过周末2天；期限为2026年11月30日。"
    )
    assert explain_due_date(date(2026, 10, 3), 0).due == date(2026, 10, 3)


def test_explanation_uses_admin_names():
    _year(2026, days=[(date(2026, 10, 8), False, "防汛防台停止办公")])
    text = explain_due_date(date(2026, 9, 30), 1).text
    assert "跳过国庆节、防汛防台停止办公 10月1日–8日" in text


# --- queries and cache -------------------------------------------------------------------------


def test_one_query_per_computation_at_most_and_none_once_cached(django_assert_num_queries):
    _year(2026, days=[(date(2026, 10, 8), False, "停止办公")])
    with django_assert_num_queries(1):
        assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    with django_assert_num_queries(0):
        explain_due_date(date(2026, 9, 30), 20)
        working_days_between(date(2026, 1, 1), date(2026, 12, 31))
        calendar = get_calendar()
        for day in range(1, 29):
            calendar.add_working_days(date(2026, 2, day), 40)


def test_saving_or_deleting_a_row_invalidates_the_cached_table():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    row = WorkdayOverride.objects.create(
        calendar_year=_year(2026), date=date(2026, 10, 8), is_workday=False, name="停止办公"
    )
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    row.is_workday = True
    row.save()
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    row.delete()
    assert workdays.cache.get(workdays.CACHE_KEY) is None


# --- validation --------------------------------------------------------------------------------


def test_validation_messages_are_specific_and_chinese():
    calendar_year = WorkdayYear(year=2027)
    calendar_year.save()
    with pytest.raises(ValidationError) as excinfo:
        WorkdayOverride(
            calendar_year=calendar_year, date=date(2028, 1, 1), name="元旦"
        ).full_clean()
    assert "不在2027年内" in str(excinfo.value.message_dict["date"])
    with pytest.raises(ValidationError) as excinfo:
        WorkdayOverride(calendar_year=calendar_year, date=date(2027, 2, 8)).full_clean()
    assert "请填写节日名称" in str(excinfo.value.message_dict["name"])
    with pytest.raises(ValidationError) as excinfo:
        WorkdayOverride(
            calendar_year=calendar_year, date=date(2027, 3, 3), is_workday=True
        ).full_clean()
    assert "本来就是工作日" in str(excinfo.value.message_dict["is_workday"])
    makeup = WorkdayOverride(calendar_year=calendar_year, date=date(2027, 2, 6), is_workday=True)
    makeup.full_clean()
    assert makeup.name == "调休上班"
    with pytest.raises(ValidationError) as excinfo:
        WorkdayYear(year=1999).full_clean()
    assert "2000至2100" in str(excinfo.value.message_dict["year"])


def test_admin_enters_a_year_with_its_days(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345678")
    client.force_login(admin)
    assert client.get(reverse("wagtailsnippets_portal_workdayyear:list")).status_code == 200
    add_url = reverse("wagtailsnippets_portal_workdayyear:add")

    def post(days):
        return client.post(
            add_url,
            nested_form_data(
                {
                    "year": "2027",
                    "source": "测试通知",
                    "complete": "on",
                    "days": inline_formset(days),
                }
            ),
        )

    response = post([{"date": "2028-01-01", "is_workday": "", "name": "元旦", "note": ""}])
    assert response.status_code == 200
    assert "不在2027年内" in response.content.decode()
    assert not WorkdayYear.objects.exists()

    response = post(
        [
            {"date": "2027-01-01", "name": "元旦", "note": ""},
            {"date": "2027-02-06", "is_workday": "on", "name": "", "note": ""},
        ]
    )
    assert response.status_code == 302
    calendar_year = WorkdayYear.objects.get(year=2027)
    assert calendar_year.complete
    assert list(calendar_year.days.values_list("date", "is_workday", "name")) == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 6), True, "调休上班"),
    ]
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 2, 6))


# --- demo loader -------------------------------------------------------------------------------


def test_demo_loader_reads_every_workdays_file_idempotently(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "FIXTURES", tmp_path)
    assert demo.load_workday_calendars() == []
    data = {
        "year": 2030,
        "source": "测试",
        "complete": True,
        "days": [
            {"date": "2030-01-01", "is_workday": False, "name": "元旦"},
            {"date": "2030-02-02", "is_workday": True, "name": "调休上班"},
        ],
    }
    path = tmp_path / "workdays-2030.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert demo.load_workday_calendars() == [2030]
    assert demo.load_workday_calendars() == [2030]
    assert WorkdayYear.objects.count() == 1
    assert WorkdayOverride.objects.count() == 2
    data["days"] = data["days"][:1]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    demo.load_workday_calendars()
    assert list(WorkdayOverride.objects.values_list("date", flat=True)) == [date(2030, 1, 1)]
    assert is_working_day(date(2030, 1, 2)) and not is_working_day(date(2030, 1, 1))


# -- provisional statutory holidays (《全国年节及纪念日放假办法》, 2024 revision) ----------------


def test_statutory_holidays_match_the_official_2026_days_off():
    """Checked against the package's 2026 data: every statutory day computed is a day off in the
    State Council's 2026 schedule (which adds 调休 days around them)."""
    import chinese_calendar

    from portal.workdays import statutory_holidays

    days = statutory_holidays(2026)
    assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3
    assert days[date(2026, 2, 16)] == "春节"  # 除夕
    assert [d for d, n in days.items() if n == "春节"] == [
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 2, 19),
    ]
    assert days[date(2026, 4, 5)] == "清明节"
    assert days[date(2026, 6, 19)] == "端午节" and days[date(2026, 9, 25)] == "中秋节"
    for day in days:
        assert not chinese_calendar.is_workday(day), day


def test_provisional_only_inside_the_block_and_only_for_next_year():
    from freezegun import freeze_time

    from portal.workdays import (
        add_working_days,
        provisional_calendar,
        provisional_years,
        statutory_holidays,
    )

    with freeze_time("2026-12-20 10:00:00+08:00"):
        with pytest.raises(WorkdayCalendarError):
            add_working_days(date(2026, 12, 30), 5)  # outside the block: an error, as before
        with provisional_calendar():
            assert provisional_years() == set()
            # 12-31, (元旦 1-1, weekend 1-2/3), 1-4, 5, 6, 7
            assert add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 7)
            assert provisional_years() == {2027}
            # 春节 2027: 除夕 2-5 to 初三 2-8
            assert {d for d, n in statutory_holidays(2027).items() if n == "春节"} == {
                date(2027, 2, 5),
                date(2027, 2, 6),
                date(2027, 2, 7),
                date(2027, 2, 8),
            }
            with pytest.raises(WorkdayCalendarError):
                add_working_days(date(2027, 12, 20), 30)  # 2028 is not next year

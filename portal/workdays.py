"""The working-day calendar (工作日历) that every case deadline is counted in.

Where a day's status comes from, first match wins:

1. an admin-entered `WorkdayOverride` row (a holiday, or a weekend day that is a 调休 workday);
2. the `chinese-calendar` package, for the years it covers (2004–2026 in 1.11; newer releases add
   years as the State Council publishes them);
3. plain Monday–Friday, but only for a year an admin has marked as entered in full
   (`WorkdayYear.complete`): "the table covers a year" is that flag, never the mere presence of a
   row, because the rows of a year are typed in one at a time.

Any other date raises `WorkdayCalendarError`, naming the year: a deadline is never a silent
weekend-only guess — with one declared exception. Inside `provisional_calendar()` (the case
machinery's deadlines and actions), a date in NEXT year whose schedule is not entered yet is
counted from that year's statutory holidays under 《全国年节及纪念日放假办法》 (2024 revision:
元旦 1 day, 春节 4 days 除夕–初三, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3; lunar dates from
`lunardate`, 清明 from the solar terms) and weekends, without the State Council's 调休, and the
years so counted are recorded (`provisional_years()`), so every such date is shown as 预计 with
the reason and recomputed when the schedule is entered.

Counting convention (DESIGN.md, "Deadlines"): the clock starts the day after `start`, so
`add_working_days(start, n)` is the n-th working day strictly after `start`; `n == 0` returns
`start` itself unchanged (nothing to count, and `start` need not be a working day). We do not use
the package's `find_workday`, which is off by one when `start` is not a working day.

The whole table is small (tens of rows a year), so it is read as one snapshot (one query) and kept
in the cache (Redis in production, so every process sees an edit) until a row or year is saved or
deleted. For many computations in one request take a snapshot once with `get_calendar()` and call
its methods.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import chinese_calendar
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel

from .formats import cn_date, cn_month_day

CACHE_KEY = "portal:workdays:calendar:v1"
CACHE_TIMEOUT = 24 * 60 * 60  # edits invalidate at once; the timeout only bounds a lost delete

_PACKAGE_YEARS = (
    min(chinese_calendar.holidays).year,
    max(chinese_calendar.holidays).year,
)
_PACKAGE_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}
_WEEKDAYS = "一二三四五六日"


class WorkdayCalendarError(Exception):
    """No holiday schedule is known for `year`: an administrator must enter it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            gettext(
                "尚无%(year)d年的法定节假日安排，无法计算工作日期限。请管理员在“系统设置 › "
                "节假日安排”中录入%(year)d年的全年安排（国务院办公厅每年11月前后发布），"
                "并勾选“已录入全年安排”。"
            )
            % {"year": year}
        )


# --- models ------------------------------------------------------------------------------------


class WorkdayYear(ClusterableModel):
    """One year's schedule as entered by an administrator: the days that differ from a plain
    Monday–Friday week (or from the package), and whether the year is entered in full."""

    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        help_text=_("例如 2027。"),
    )
    complete = models.BooleanField(
        _("已录入全年安排"),
        default=False,
        help_text=_(
            "勾选后，本年度未录入的日期按周一至周五上班、周六周日休息计算。"
            "日历组件未覆盖的年份，只有勾选后才能计算期限。"
        ),
    )
    source = models.CharField(
        _("依据"),
        max_length=120,
        blank=True,
        help_text=_("如 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。"),
    )

    panels = [
        FieldPanel("year"),
        FieldPanel("source"),
        FieldPanel("complete"),
        InlinePanel("days", heading=_("节假日与调休"), label=_("日期")),
    ]

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return gettext("%(year)d年节假日安排") % {"year": self.year}

    def clean(self) -> None:
        super().clean()
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": gettext("年份应在2000至2100之间。")})


class WorkdayYearForm(WagtailAdminModelForm):
    """The admin form: every day entered must lie in the year being edited (the inline rows
    cannot see the year field themselves)."""

    def clean(self):
        cleaned_data = super().clean()
        year = cleaned_data.get("year")
        days = self.formsets.get("days")
        if year is None or days is None:
            return cleaned_data
        days.is_valid()  # clean the rows first so their dates are available
        for form in days.forms:
            day = getattr(form, "cleaned_data", {}).get("date")
            if day is not None and day.year != year and not form.cleaned_data.get("DELETE"):
                form.add_error(
                    "date",
                    gettext("%(date)s 不在%(year)d年内，请在对应年份的安排中录入。")
                    % {"date": day.isoformat(), "year": year},
                )
        return cleaned_data


WorkdayYear.base_form_class = WorkdayYearForm


class WorkdayOverride(models.Model):
    """A day whose status differs from the plain week or from the package: a holiday
    (`is_workday=False`, e.g. 春节) or a make-up workday (`is_workday=True`, 调休上班)."""

    calendar_year = ParentalKey(
        WorkdayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("上班"), default=False, help_text=_("勾选表示调休上班；不勾选表示放假。")
    )
    name = models.CharField(
        _("名称"), max_length=40, blank=True, help_text=_("如 春节、国庆节、调休上班。")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    panels = [FieldPanel("date"), FieldPanel("is_workday"), FieldPanel("name"), FieldPanel("note")]

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = gettext("上班") if self.is_workday else gettext("放假")
        return f"{self.date.isoformat()} {self.name or ''} {kind}".replace("  ", " ")

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        try:  # in the admin's inline form the parent may not be saved yet
            year = self.calendar_year.year
        except WorkdayYear.DoesNotExist:
            year = None
        if year is not None and self.date.year != year:
            raise ValidationError(
                {
                    "date": gettext("%(date)s 不在%(year)d年内，请在对应年份的安排中录入。")
                    % {"date": self.date.isoformat(), "year": year}
                }
            )
        if not self.is_workday and not self.name.strip():
            raise ValidationError({"name": gettext("请填写节日名称，如 春节、国庆节。")})
        if self.is_workday and not self.name.strip():
            self.name = gettext("调休上班")
        if self.is_workday and self.date.weekday() < 5 and not _package_covers(self.date):
            raise ValidationError(
                {
                    "is_workday": gettext(
                        "%(date)s 是星期%(weekday)s，本来就是工作日，无需录入为调休上班。"
                    )
                    % {"date": self.date.isoformat(), "weekday": _WEEKDAYS[self.date.weekday()]}
                }
            )


def _invalidate(**kwargs) -> None:
    cache.delete(CACHE_KEY)
    # Also after commit, so no other process re-caches the old rows in between.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


for _model in (WorkdayYear, WorkdayOverride):
    receiver(post_save, sender=_model, dispatch_uid=f"workdays-save-{_model.__name__}")(_invalidate)
    receiver(post_delete, sender=_model, dispatch_uid=f"workdays-delete-{_model.__name__}")(
        _invalidate
    )


# --- the calendar ------------------------------------------------------------------------------


def _package_covers(day: datetime.date) -> bool:
    return _PACKAGE_YEARS[0] <= day.year <= _PACKAGE_YEARS[1]


@functools.lru_cache(maxsize=8192)
def _package_day(day: datetime.date) -> tuple[bool, str | None]:
    """The package's answer for a day, remembered: its data never changes while we run, and
    `get_holiday_detail` scans its whole table for the years it covers on every call (a case's
    deadline and remaining days ask for dozens of days)."""
    return chinese_calendar.get_holiday_detail(day)


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    is_workday: bool
    name: str  # 春节 / 国庆节 / 调休上班 …; "" for an ordinary weekday or weekend

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class SkippedSpan:
    """Consecutive days off passed over while counting."""

    first: datetime.date
    last: datetime.date
    names: tuple[str, ...]  # holiday names in order; empty for an ordinary weekend

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class DueDateExplanation:
    start: datetime.date
    working_days: int
    due: datetime.date
    holidays: list[SkippedSpan] = field(default_factory=list)
    weekends: list[SkippedSpan] = field(default_factory=list)
    makeup_workdays: list[DayInfo] = field(default_factory=list)
    start_label: str = ""  # 受理日 / 补正日 …

    @property
    def weekend_days(self) -> int:
        return sum(span.days for span in self.weekends)

    @property
    def text(self) -> str:
        """One sentence for a case page, e.g. "受理日2026年9月30日，自次日起算20个工作日，跳过
        国庆节 10月1日–7日；10月10日（星期六）国庆节调休上班，计为工作日；另跳过周末7天；期限为
        2026年11月3日。" """
        year = self.start.year
        head = gettext("%(label)s%(start)s，自次日起算%(n)d个工作日") % {
            "label": self.start_label,
            "start": _long(self.start),
            "n": self.working_days,
        }
        rest = []
        if self.holidays:
            spans = "、".join(f"{'、'.join(s.names)} {_span(s, year)}" for s in self.holidays)
            rest.append(gettext("跳过%(spans)s") % {"spans": spans})
        by_name: dict[str, list[DayInfo]] = {}
        for day in self.makeup_workdays:
            by_name.setdefault(day.name, []).append(day)
        for name, days in by_name.items():
            dates = "、".join(
                gettext("%(date)s（星期%(weekday)s）")
                % {"date": _short(d.date, year), "weekday": _WEEKDAYS[d.date.weekday()]}
                for d in days
            )
            rest.append(gettext("%(dates)s%(name)s，计为工作日") % {"dates": dates, "name": name})
        if self.weekend_days:
            message = gettext("另跳过周末%(n)d天") if self.holidays else gettext("跳过周末%(n)d天")
            rest.append(message % {"n": self.weekend_days})
        rest.append(gettext("期限为%(due)s") % {"due": _long(self.due)})
        return head + "，" + "；".join(rest) + "。"

    def __str__(self) -> str:
        return self.text


def _long(day: datetime.date) -> str:
    return cn_date(day)


def _short(day: datetime.date, year: int) -> str:
    return cn_month_day(day, year=year)


def _span(span: SkippedSpan, year: int) -> str:
    if span.first == span.last:
        return _short(span.first, year)
    if (span.first.year, span.first.month) == (span.last.year, span.last.month):
        return f"{_short(span.first, year)}–{span.last.day}日"
    return f"{_short(span.first, year)}–{_short(span.last, year)}"


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory days off of `year` under 《全国年节及纪念日放假办法》 (2024 revision), without
    the State Council's yearly 调休 (moved days and make-up working days are not known in
    advance): 元旦 1-1; 春节 4 days from 除夕 (the day before 正月初一) to 正月初三; 清明 (the solar
    term); 劳动节 5-1 and 5-2; 端午 (五月初五); 中秋 (八月十五); 国庆 10-1 to 10-3."""
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): gettext("元旦")}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):
        days[new_year + datetime.timedelta(days=offset)] = gettext("春节")
    qingming = [
        d
        for d, name in chinese_calendar.get_solar_terms(
            datetime.date(year, 4, 1), datetime.date(year, 4, 10)
        )
        if name == "清明"
    ]
    days[qingming[0] if qingming else datetime.date(year, 4, 5)] = gettext("清明节")
    for d in (1, 2):
        days[datetime.date(year, 5, d)] = gettext("劳动节")
    days[LunarDate(year, 5, 5).to_solar_date()] = gettext("端午节")
    days[LunarDate(year, 8, 15).to_solar_date()] = gettext("中秋节")
    for d in (1, 2, 3):
        days[datetime.date(year, 10, d)] = gettext("国庆节")
    return days


# Set inside provisional_calendar(): the set of years counted provisionally so far.
_provisional: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "portal_workdays_provisional", default=None
)


@contextmanager
def provisional_calendar():
    """Within this block, a date of next year (today's year + 1) whose schedule is not entered is
    counted from its statutory holidays and weekends instead of raising; the years so counted are
    in `provisional_years()`. Nested blocks share the outer block's record."""
    outer = _provisional.get()
    token = _provisional.set(outer if outer is not None else set())
    try:
        yield
    finally:
        _provisional.reset(token)


def provisional_years() -> set[int]:
    """The years counted provisionally in the current `provisional_calendar()` block so far."""
    return set(_provisional.get() or ())


def provisional_note(years: set[int]) -> str:
    """The reason shown next to a 预计 date."""
    listed = "、".join(str(y) for y in sorted(years))
    return gettext(
        "预计：%(years)s年节假日安排尚未公布录入，暂按《全国年节及纪念日放假办法》规定的法定节假日"
        "和周末推算（未计调休），安排录入后重新计算"
    ) % {"years": listed}


class Calendar:
    """A snapshot of the override table plus the package: pure computation, no queries."""

    def __init__(self, overrides: dict[datetime.date, tuple[bool, str]], complete_years: set[int]):
        self.overrides = overrides
        self.complete_years = complete_years

    def day(self, day: datetime.date) -> DayInfo:
        if isinstance(day, datetime.datetime):
            day = day.date()
        if day in self.overrides:
            is_workday, name = self.overrides[day]
            return DayInfo(day, is_workday, name)
        if _package_covers(day):
            on_holiday, english = _package_day(day)
            name = _PACKAGE_NAMES.get(english, english or "")
            if not on_holiday and english:  # a weekend day worked in lieu
                name = gettext("%(name)s调休上班") % {"name": name}
            elif on_holiday and not english:
                name = ""
            return DayInfo(day, not on_holiday, name)
        if day.year in self.complete_years:
            return DayInfo(day, day.weekday() < 5, "")
        used = _provisional.get()
        if used is not None and day.year == timezone.localdate().year + 1:
            used.add(day.year)
            name = _statutory_cached(day.year).get(day)
            if name:
                return DayInfo(day, False, name)
            return DayInfo(day, day.weekday() < 5, "")
        raise WorkdayCalendarError(day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        return self.day(day).is_workday

    def _days_after(self, start: datetime.date) -> Iterator[DayInfo]:
        day = start
        while True:
            day += datetime.timedelta(days=1)
            yield self.day(day)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        _check_n(n)
        if n == 0:
            return start
        counted = 0
        for info in self._days_after(start):
            if info.is_workday:
                counted += 1
                if counted == n:
                    return info.date
        raise AssertionError("unreachable")  # pragma: no cover

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        days = (a + datetime.timedelta(days=i) for i in range(1, (b - a).days + 1))
        return sum(self.is_working_day(day) for day in days)

    def explain(
        self, start: datetime.date, n: int, *, start_label: str | None = None
    ) -> DueDateExplanation:
        _check_n(n)
        holidays: list[SkippedSpan] = []
        weekends: list[SkippedSpan] = []
        makeup: list[DayInfo] = []
        run: list[DayInfo] = []

        def close_run() -> None:
            if not run:
                return
            names = tuple(dict.fromkeys(d.name for d in run if d.name))
            span = SkippedSpan(run[0].date, run[-1].date, names)
            (holidays if names else weekends).append(span)
            run.clear()

        due = start
        counted = 0
        if n:
            for info in self._days_after(start):
                if info.is_workday:
                    close_run()
                    counted += 1
                    if info.is_weekend:
                        makeup.append(info)
                    if counted == n:
                        due = info.date
                        break
                else:
                    run.append(info)
        label = start_label if start_label is not None else gettext("受理日")
        return DueDateExplanation(start, n, due, holidays, weekends, makeup, label)


_STATUTORY_CACHE: dict[int, dict[datetime.date, str]] = {}


def _statutory_cached(year: int) -> dict[datetime.date, str]:
    if year not in _STATUTORY_CACHE:
        _STATUTORY_CACHE[year] = statutory_holidays(year)
    return _STATUTORY_CACHE[year]


def _check_n(n: int) -> None:
    if not isinstance(n, int) or n < 0:
        raise ValueError(gettext("工作日天数应为非负整数，收到 %(n)r。") % {"n": n})


def get_calendar() -> Calendar:
    """The calendar as it is now: from the cache, or from one query on a miss."""
    data = cache.get(CACHE_KEY)
    if data is None:
        overrides: dict[datetime.date, tuple[bool, str]] = {}
        complete_years: set[int] = set()
        rows = WorkdayYear.objects.values_list(
            "year", "complete", "days__date", "days__is_workday", "days__name"
        )
        for year, complete, day, is_workday, name in rows:
            if complete:
                complete_years.add(year)
            if day is not None:
                overrides[day] = (is_workday, name)
        data = {"overrides": overrides, "complete_years": complete_years}
        cache.set(CACHE_KEY, data, CACHE_TIMEOUT)
    return Calendar(data["overrides"], data["complete_years"])


def missing_schedule_years(today: datetime.date) -> list[int]:
    """The years staff must enter now: this year if it is not covered, and from 1 November the
    next one (the State Council publishes it in November; deadlines running into January
    need it). Covered: by the package, or entered in full (`WorkdayYear.complete`)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    calendar = get_calendar()
    return [
        year
        for year in years
        if not _package_covers(datetime.date(year, 1, 1)) and year not in calendar.complete_years
    ]


# --- the public functions: each reads the table at most once --------------------------------------


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (the day after `start` is day 1); `n == 0` → `start`."""
    return get_calendar().add_working_days(start, n)


def is_working_day(day: datetime.date) -> bool:
    return get_calendar().is_working_day(day)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days in (a, b]; negative when b is before a (then -(working days in (b, a]))."""
    return get_calendar().working_days_between(a, b)


def explain_due_date(
    start: datetime.date, n: int, *, start_label: str | None = None
) -> DueDateExplanation:
    """How `add_working_days(start, n)` was reached: holidays and weekends skipped, make-up
    workdays counted. `.due` equals `add_working_days(start, n)`; `.text` is for case pages;
    `start_label` names the start day in it (default 受理日; e.g. 补正日 after a correction)."""
    return get_calendar().explain(start, n, start_label=start_label)

"""The yearly holiday schedule from the State Council's notice (issue 14).

Every November the 国务院办公厅 publishes 《关于XXXX年部分节假日安排的通知》; staff paste its text
into the admin (系统设置 › 从通知导入节假日安排), see the days it was read as, and confirm. The
items read like

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。
    一、元旦：1月1日（周三）放假1天，不调休。

`parse_notice` turns the text into holidays (every day of each 放假 span) and make-up workdays
(each 上班 date), checks each span against its 共N天 / 放假N天 and each weekday written in
brackets against the calendar, and reports what it could not read: a schedule with problems is
never saved. `schedule_import` (the action) writes a parsed schedule into WorkdayYear /
WorkdayOverride in one transaction and marks the year complete.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from .workdays import WorkdayOverride, WorkdayYear, _invalidate

_WEEKDAYS = "一二三四五六日"
_ITEM = re.compile(r"(?:^|\n|。)\s*[一二三四五六七八九十]+、\s*([^：:\n]{1,20})[：:]")
_YEAR = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排")
# a date: [YYYY年][M月]D日, then an optional bracket（周四 / 农历除夕、周二）
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]*)[）)])?"
_SPAN = re.compile(_DATE + r"(?:\s*[至到\-—–~～]\s*" + _DATE + r")?\s*放假")
_DAYS = re.compile(r"(?:共|放假)(\d{1,2})天")
_WORK_SENTENCE = re.compile(r"((?:" + _DATE + r"[、，,和及\s]*)+)上班")
_ONE_DATE = re.compile(_DATE)


@dataclass(frozen=True)
class NoticeDay:
    date: datetime.date
    name: str  # 春节 / 国庆节、中秋节 …; for a workday "春节调休上班"
    is_workday: bool

    @property
    def weekday(self) -> str:
        return gettext("星期%(d)s") % {"d": _WEEKDAYS[self.date.weekday()]}


@dataclass
class NoticeSchedule:
    year: int | None
    title: str = ""
    days: list[NoticeDay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[NoticeDay] = field(default_factory=list)  # days outside `year` (元旦 spans)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if not d.is_workday]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.is_workday]

    @property
    def ok(self) -> bool:
        return self.year is not None and bool(self.days) and not self.problems


def _date(groups, *, year: int, month: int | None) -> tuple[datetime.date, str]:
    y, m, d, note = groups
    return datetime.date(int(y) if y else year, int(m) if m else month, int(d)), note or ""


def _check_weekday(day: datetime.date, note: str, problems: list[str]) -> None:
    match = re.search(r"(?:周|星期)([一二三四五六日天])", note)
    if match is None:
        return
    written = "日" if match.group(1) == "天" else match.group(1)
    if _WEEKDAYS[day.weekday()] != written:
        problems.append(
            gettext("%(date)s 实为星期%(real)s，通知中写作周%(written)s，请核对年份与日期。")
            % {"date": day.isoformat(), "real": _WEEKDAYS[day.weekday()], "written": written}
        )


def parse_notice(text: str, *, year: int | None = None) -> NoticeSchedule:
    """Read the notice; `year` only when the text does not name it (no title pasted)."""
    text = (text or "").replace("\r\n", "\n").replace("\u3000", " ")
    found = _YEAR.search(text)
    year = int(found.group(1)) if found else year
    title_line = next((line.strip() for line in text.split("\n") if _YEAR.search(line)), "")
    schedule = NoticeSchedule(year=year, title=title_line[:120])
    if year is None:
        schedule.problems.append(
            gettext(
                "未能识别年份：请连同标题“国务院办公厅关于XXXX年部分节假日安排的通知”一并粘贴。"
            )
        )
        return schedule
    items = list(_ITEM.finditer(text))
    if not items:
        schedule.problems.append(gettext("未能识别任何节日条目（如“一、元旦：……”）。"))
        return schedule
    seen: dict[datetime.date, NoticeDay] = {}
    for index, item in enumerate(items):
        name = item.group(1).strip()
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        body = text[item.end() : end]
        span = _SPAN.search(body)
        if span is None:
            schedule.problems.append(gettext("“%(name)s”：未找到放假日期。") % {"name": name})
            continue
        groups = span.groups()
        first, first_note = _date(groups[:4], year=year, month=None)
        _check_weekday(first, first_note, schedule.problems)
        last = first
        if groups[6] is not None:
            last, last_note = _date(groups[4:], year=first.year, month=first.month)
            if last < first:  # 12月31日至1月2日 written without the new year
                last = last.replace(year=last.year + 1)
            _check_weekday(last, last_note, schedule.problems)
        count = _DAYS.search(body[span.start() :])
        span_days = (last - first).days + 1
        if count and int(count.group(1)) != span_days:
            schedule.problems.append(
                gettext("“%(name)s”：%(first)s至%(last)s共%(n)d天，与通知所写%(written)s天不符。")
                % {
                    "name": name,
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                    "n": span_days,
                    "written": count.group(1),
                }
            )
        new_days = [
            NoticeDay(first + datetime.timedelta(days=i), name, False) for i in range(span_days)
        ]
        rest = body[span.end() :]
        for sentence in _WORK_SENTENCE.finditer(rest):
            month = None
            for one in _ONE_DATE.finditer(sentence.group(1)):
                day, note = _date(one.groups(), year=year, month=month)
                month = day.month
                _check_weekday(day, note, schedule.problems)
                if day.weekday() < 5:
                    schedule.problems.append(
                        gettext("%(date)s 是工作日（星期%(w)s），不应列为调休上班。")
                        % {"date": day.isoformat(), "w": _WEEKDAYS[day.weekday()]}
                    )
                label = gettext("%(name)s调休上班") % {"name": name}
                new_days.append(NoticeDay(day, label, True))
        for day in new_days:
            if day.date in seen:
                schedule.problems.append(
                    gettext("%(date)s 在通知中出现两次（%(a)s、%(b)s）。")
                    % {"date": day.date.isoformat(), "a": seen[day.date].name, "b": day.name}
                )
                continue
            seen[day.date] = day
            (schedule.days if day.date.year == year else schedule.skipped).append(day)
    schedule.days.sort(key=lambda d: d.date)
    return schedule


def schedule_import(schedule: NoticeSchedule, *, source: str = "") -> WorkdayYear:
    """Write a parsed schedule: the year's rows are replaced by the notice's days, and the year
    is marked entered in full (days not in the notice are plain Monday–Friday weeks)."""
    if not schedule.ok:
        raise ValueError(gettext("通知未能完整识别，不能保存。"))
    with transaction.atomic():
        return _write(schedule, source)


def _write(schedule: NoticeSchedule, source: str) -> WorkdayYear:
    calendar_year, _created = WorkdayYear.objects.select_for_update().get_or_create(
        year=schedule.year
    )
    calendar_year.complete = True
    calendar_year.source = (source or schedule.title or calendar_year.source)[:120]
    calendar_year.save()
    WorkdayOverride.objects.filter(calendar_year=calendar_year).delete()
    # a date is unique across years: a stray row of this year's dates under another year goes too
    WorkdayOverride.objects.filter(date__in=[d.date for d in schedule.days]).delete()
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(
            calendar_year=calendar_year, date=d.date, is_workday=d.is_workday, name=d.name[:40]
        )
        for d in schedule.days
    )
    # bulk_create sends no post_save: drop the cached calendar as the signals would
    _invalidate()
    return calendar_year

"""Figures about cases that one app computes for another's reports, through slots (portal/registry.py).

- `licence_decisions(*, year, organisation_ids) -> int`: 行政许可 decisions made in `year` (the
  annual report's table 二): completed online applications for service items of the type 行政许可,
  closed in the year, of the given organisations (None = all). Filled by the services app; without
  it the count is 0.
- `request_deadline_counts(*, periods, today) -> dict[int, dict[str, DeadlineCount]]`: 依申请公开
  requests answered on time, per organisation (its own requests, no subtree) and per period, as
  `deadline_counts` counts them (the 区县排位's 依申请公开按期答复率). Filled by the disclosure app;
  without it there are none.

`deadline_counts` is the one rule every kind's on-time figure uses, so the league compares like
with like: a case counts in a period [start, end) when it was finished in it (closed, except
withdrawn ones, with a due date) or when it is still open and its due date passed in it (before
`today`); it is on time when it was closed on or before its due date (the date of `closed_at`,
Beijing time). A case closed while its clock was paused (补正, 征求第三方意见) has no due date and is
not counted.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from portal.registry import Slot

licence_decisions = Slot("licence_decisions", default=lambda *, year, organisation_ids: 0)
request_deadline_counts = Slot("request_deadline_counts", default=lambda *, periods, today: {})

NOT_FINISHED = ("withdrawn",)  # closed by the applicant, not decided: no on-time figure


@dataclass
class DeadlineCount:
    """Cases that came due or were finished in a period, and those finished on time."""

    counted: int = 0
    on_time: int = 0

    def add(self, other: "DeadlineCount") -> None:
        self.counted += other.counted
        self.on_time += other.on_time


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def deadline_counts(
    queryset, *, periods: dict[str, tuple[date, date]], today: date
) -> dict[int, dict[str, DeadlineCount]]:
    """On-time counts of a TrackedCase queryset per organisation and per named period (each
    [start, end) in local dates). One query whatever the number of cases and periods."""
    model = queryset.model
    open_statuses = ~Q(status__in=model.CLOSED_STATUSES)
    finished = (
        Q(due_date__isnull=False)
        & Q(status__in=model.CLOSED_STATUSES)
        & ~Q(status__in=NOT_FINISHED)
    )
    aggregates = {}
    within = Q()
    for name, (start, end) in periods.items():
        closed_in = finished & Q(closed_at__gte=_aware(start), closed_at__lt=_aware(end))
        overdue_in = (
            open_statuses & Q(due_date__gte=start, due_date__lt=end) & Q(due_date__lt=today)
        )
        aggregates[f"{name}__counted"] = Count("pk", filter=closed_in | overdue_in)
        aggregates[f"{name}__on_time"] = Count(
            "pk", filter=closed_in & Q(closed_at__date__lte=F("due_date"))
        )
        within |= closed_in | overdue_in
    result: dict[int, dict[str, DeadlineCount]] = {}
    for row in queryset.filter(within).order_by().values("organisation_id").annotate(**aggregates):
        result[row["organisation_id"]] = {
            name: DeadlineCount(row[f"{name}__counted"], row[f"{name}__on_time"])
            for name in periods
        }
    return result

"""Reads of 好差评: the open 差评 follow-ups of the staff's organisations, and the published figures
(好差评结果公开)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.organisations import Organisation, OrganisationKind, subtree_ids

from .models import FollowUpStatus, Rating, RatingScore


def open_follow_ups(*, organisation_ids: set[int] | None):
    """Open 差评 follow-ups of the organisations in scope, the most urgent first. One query."""
    qs = Rating.objects.filter(follow_up_status=FollowUpStatus.OPEN).select_related(
        "organisation", "service"
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by("follow_up_due", "created_at")


def rating_for_case(case_number: str) -> Rating | None:
    return Rating.objects.filter(case_number=case_number).first()


def rating_choices() -> list[tuple[int, str]]:
    return RatingScore.choices


# ---------------------------------------------------------------------------------------------
# 好差评结果公开: published figures, computed by SQL aggregation in a fixed number of queries.
#
# 好评 = 非常满意 (5) + 满意 (4) + 基本满意 (3); 差评 = 不满意 (2) + 非常不满意 (1). A 差评 is
# rectified on time when its follow-up was closed on or before its deadline (整改期限). Below
# settings.RATINGS_PUBLISH_MINIMUM ratings no rate is published (None), only the counts.

GOOD_SCORES = (RatingScore.VERY_SATISFIED, RatingScore.SATISFIED, RatingScore.FAIRLY_SATISFIED)
BAD_SCORES = (RatingScore.DISSATISFIED, RatingScore.VERY_DISSATISFIED)
SCORES = ("1", "2", "3", "4", "5")
RATE_PLACES = Decimal("0.0001")


def publish_minimum() -> int:
    return int(getattr(settings, "RATINGS_PUBLISH_MINIMUM", 10))


@dataclass
class RatingFigures:
    """The figures of one cell (an organisation with its subtree, a district, a service item, a
    month): counts always, rates only from the publication minimum up."""

    ratings: int = 0
    by_score: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    bad: int = 0
    rectified_on_time: int = 0
    closed: int = 0
    close_seconds: float = 0.0
    minimum: int = 10

    def add(self, other: "RatingFigures") -> None:
        self.ratings += other.ratings
        for key in SCORES:
            self.by_score[key] += other.by_score[key]
        self.bad += other.bad
        self.rectified_on_time += other.rectified_on_time
        self.closed += other.closed
        self.close_seconds += other.close_seconds

    @property
    def good(self) -> int:
        return sum(self.by_score[str(int(s))] for s in GOOD_SCORES)

    @property
    def publishable(self) -> bool:
        return self.ratings >= self.minimum and self.ratings > 0

    @property
    def good_rate(self) -> Decimal | None:
        if not self.publishable:
            return None
        return (Decimal(self.good) / Decimal(self.ratings)).quantize(RATE_PLACES, ROUND_HALF_UP)

    @property
    def rectification_rate(self) -> Decimal | None:
        """差评整改率: 差评 whose follow-up was closed within its deadline, over all 差评. None under
        the minimum, and when there was no 差评 (nothing to rectify)."""
        if not self.publishable or not self.bad:
            return None
        return (Decimal(self.rectified_on_time) / Decimal(self.bad)).quantize(
            RATE_PLACES, ROUND_HALF_UP
        )

    @property
    def average_close_days(self) -> Decimal | None:
        """Average time from the 差评 to the follow-up's closure, in days (one decimal)."""
        if not self.publishable or not self.closed:
            return None
        days = Decimal(self.close_seconds) / Decimal(86400 * self.closed)
        return days.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def good_percent(self) -> int:
        """The 好评率 as a whole percentage for the page's bars (0 when not published)."""
        rate = self.good_rate
        return int((rate * 100).to_integral_value(ROUND_HALF_UP)) if rate is not None else 0


def _period(year: int, month: int | None) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    if month is None:
        start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    else:
        start = datetime(year, month, 1)
        end = datetime(year + (month == 12), month % 12 + 1, 1)
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def _in_period(year: int, month: int | None):
    start, end = _period(year, month)
    return Rating.objects.filter(created_at__gte=start, created_at__lt=end)


def _aggregates(within: Q | None = None) -> dict:
    """The figures' aggregates; with `within`, each restricted to the ratings it matches (the
    区县排位 aggregates two periods in one query)."""

    def only(condition: Q | None) -> Q | None:
        if within is None:
            return condition
        return within if condition is None else within & condition

    closed = Q(follow_up_status=FollowUpStatus.DONE, follow_up_closed_at__isnull=False)
    bad = Q(score__in=BAD_SCORES)
    duration = ExpressionWrapper(
        F("follow_up_closed_at") - F("created_at"), output_field=DurationField()
    )
    values = {"n": Count("pk", filter=only(None))}
    for key in SCORES:
        values[f"s{key}"] = Count("pk", filter=only(Q(score=int(key))))
    values.update(
        bad=Count("pk", filter=only(bad)),
        on_time=Count(
            "pk",
            filter=only(bad & closed & Q(follow_up_closed_at__date__lte=F("follow_up_due"))),
        ),
        closed=Count("pk", filter=only(bad & closed)),
        close_time=Sum(duration, filter=only(bad & closed)),
    )
    return values


def _figures(row: dict, minimum: int) -> RatingFigures:
    close_time = row.get("close_time")
    if isinstance(close_time, timedelta):
        seconds = close_time.total_seconds()
    else:  # some backends answer the sum in microseconds
        seconds = (close_time or 0) / 1_000_000
    return RatingFigures(
        ratings=row["n"] or 0,
        by_score={key: row[f"s{key}"] or 0 for key in SCORES},
        bad=row["bad"] or 0,
        rectified_on_time=row["on_time"] or 0,
        closed=row["closed"] or 0,
        close_seconds=seconds,
        minimum=minimum,
    )


def rating_summary(
    *, organisation=None, year: int, month: int | None = None, service=None
) -> RatingFigures:
    """The figures of one period (a year, or a month of it) for an organisation WITH its subtree
    (None: all), optionally of one service item. Two queries with an organisation (the tree, the
    aggregate), one without."""
    qs = _in_period(year, month)
    if organisation is not None:
        qs = qs.filter(organisation_id__in=subtree_ids(organisation))
    if service is not None:
        qs = qs.filter(service=service)
    return _figures(qs.aggregate(**_aggregates()), publish_minimum())


@dataclass
class FiguresRow:
    key: object
    label: str
    figures: RatingFigures
    code: str = ""


@dataclass
class RatingTables:
    """Everything the public page shows for one period."""

    year: int
    month: int | None
    total: RatingFigures
    districts: list[FiguresRow]
    organisations: list[FiguresRow]
    services: list[FiguresRow]
    months: list[FiguresRow]
    minimum: int


def rating_tables(*, year: int, month: int | None = None) -> RatingTables:
    """The tables of the public page: per district (each with its subtree), per organisation (each
    with its subtree, those with ratings), per service item and, for a year, per month. Whatever
    the number of ratings, three queries for a month (ratings per organisation, the organisation
    tree, ratings per service item) and four for a year (and ratings per month)."""
    minimum = publish_minimum()
    qs = _in_period(year, month)
    own: dict[int, RatingFigures] = {
        row["organisation_id"]: _figures(row, minimum)
        for row in qs.order_by().values("organisation_id").annotate(**_aggregates())
    }
    orgs = list(
        Organisation.objects.filter(live=True, is_active=True)
        .order_by("sort_order", "code")
        .values("pk", "parent_id", "code", "name", "kind")
    )
    children: dict[int | None, list[int]] = {}
    for org in orgs:
        children.setdefault(org["parent_id"], []).append(org["pk"])

    def rolled_up(pk: int) -> RatingFigures:
        figures, stack, seen = RatingFigures(minimum=minimum), [pk], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in own:
                figures.add(own[node])
            stack.extend(children.get(node, ()))
        return figures

    total = RatingFigures(minimum=minimum)
    for figures in own.values():
        total.add(figures)
    districts, organisations = [], []
    for org in orgs:
        figures = rolled_up(org["pk"])
        row = FiguresRow(key=org["pk"], label=org["name"], figures=figures, code=org["code"])
        if org["kind"] == OrganisationKind.DISTRICT:
            districts.append(row)
        if figures.ratings:
            organisations.append(row)
    services = [
        FiguresRow(
            key=row["service_id"],
            label=row["service__title"] or _("未关联事项"),
            code=row["service__code"] or "",
            figures=_figures(row, minimum),
        )
        for row in qs.order_by()
        .values("service_id", "service__title", "service__code")
        .annotate(**_aggregates())
        .order_by("-n", "service__title")
    ]
    months = []
    if month is None:
        by_month = {
            row["m"].month: _figures(row, minimum)
            for row in qs.order_by()
            .annotate(m=TruncMonth("created_at"))
            .values("m")
            .annotate(**_aggregates())
        }
        months = [
            FiguresRow(
                key=m,
                label=_("%(m)d月") % {"m": m},
                figures=by_month.get(m, RatingFigures(minimum=minimum)),
            )
            for m in range(1, 13)
        ]
    return RatingTables(
        year=year,
        month=month,
        total=total,
        districts=districts,
        organisations=organisations,
        services=services,
        months=months,
        minimum=minimum,
    )


def rating_years() -> list[int]:
    """The years that have ratings, newest first (for the page's selector). One query."""
    return sorted({d.year for d in Rating.objects.datetimes("created_at", "year")}, reverse=True)

"""区县排位: the league table of the district bureaus for a month or a year, computed from the
records by SQL aggregation in a fixed number of queries.

Each district counts with its whole subtree (its streets, centres and units). The measures, each a
share from 0 to 1:

- 满意率: the 好评率 of /hdjl/hcp/ (非常满意 + 满意 + 基本满意 over all ratings given in the period).
- 按时办结率: cases of every kind (online applications, 监督投诉, 依申请公开, and the 整改 that
  supervisors' visit reports open) finished by their due date, over the cases finished in the period or still open with their due date passed in it
  (`portal.cases.statistics.deadline_counts`; withdrawn cases do not count).
- 差评整改率: 差评 of the period whose follow-up was closed within its deadline, over all 差评.
- 投诉按期答复率 / 依申请公开按期答复率: the same on-time rule for complaints alone and for requests
  alone (the requests' counts come from the disclosure app through the slot
  `request_deadline_counts`, never by import).

Small numbers are protected as on /hdjl/hcp/: a measure whose own count (ratings, 差评 within
published ratings, cases) is under `RATINGS_PUBLISH_MINIMUM` is withheld (None). The combined score
is Σ weight × rate over the published measures, divided by the sum of their weights (so a withheld
measure neither helps nor hurts), times 100, two decimals; with no published measure (or only
measures of weight 0) there is no score and no rank. Rank: by score, highest first, equal scores
share a rank (1, 1, 3); `change` = the previous period's rank − this rank (positive: moved up), None
when either is missing. The previous period of a month is the month before (December of the year
before for January), of a year the year before.

Queries, whatever the number of records: the weights, the organisation tree, ratings, applications,
complaints, requests and rectifications per organisation (both periods in each aggregate) — seven.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from portal.cases.statistics import DeadlineCount, deadline_counts, request_deadline_counts
from portal.organisations import Organisation, OrganisationKind

from ..applications.models import Application
from ..complaints.models import Complaint
from ..supervision.models import Rectification
from .models import LEAGUE_MEASURES, LeagueWeights, Rating
from .selectors import RATE_PLACES, RatingFigures, _aggregates, _figures, _period, publish_minimum

CURRENT, PREVIOUS = "cur", "prev"
MEASURES = tuple(key for key, _label, _default in LEAGUE_MEASURES)
SCORE_PLACES = Decimal("0.01")


def previous_period(year: int, month: int | None) -> tuple[int, int | None]:
    if month is None:
        return year - 1, None
    return (year - 1, 12) if month == 1 else (year, month - 1)


def period_key(year: int, month: int | None) -> str:
    return f"{year}" if month is None else f"{year}-{month:02d}"


def _dates(year: int, month: int | None) -> tuple[date, date]:
    start, end = _period(year, month)
    return timezone.localdate(start), timezone.localdate(end)


def league_dates(year: int, month: int | None) -> tuple[date, date]:
    """The period as local dates [start, end): what the booking figures beside the table count."""
    return _dates(year, month)


def _rate(part: int, whole: int, minimum: int) -> Decimal | None:
    if whole <= 0 or whole < minimum:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, ROUND_HALF_UP)


def league_weights() -> dict[str, int]:
    """The bureau's weights (区县排位权重 in the admin's settings), measure → percent. One query
    (two more the first time, when the row is created with the defaults)."""
    return LeagueWeights.load().weights()


@dataclass
class PeriodFigures:
    """What one district's measures are computed from, for one period."""

    ratings: RatingFigures
    cases: DeadlineCount = field(default_factory=DeadlineCount)
    complaints: DeadlineCount = field(default_factory=DeadlineCount)
    requests: DeadlineCount = field(default_factory=DeadlineCount)

    def add(self, other: "PeriodFigures") -> None:
        self.ratings.add(other.ratings)
        self.cases.add(other.cases)
        self.complaints.add(other.complaints)
        self.requests.add(other.requests)

    def rates(self, minimum: int) -> dict[str, Decimal | None]:
        return {
            "satisfaction": self.ratings.good_rate,
            "on_time": _rate(self.cases.on_time, self.cases.counted, minimum),
            "rectification": self.ratings.rectification_rate,
            "complaint_on_time": _rate(self.complaints.on_time, self.complaints.counted, minimum),
            "disclosure_on_time": _rate(self.requests.on_time, self.requests.counted, minimum),
        }


def combined_score(rates: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """Σ weight × rate over the published measures ÷ Σ their weights × 100 (see the module)."""
    used = {key: w for key, w in weights.items() if rates.get(key) is not None and w > 0}
    total = sum(used.values())
    if not total:
        return None
    value = sum(Decimal(w) * rates[key] for key, w in used.items()) * 100 / Decimal(total)
    return value.quantize(SCORE_PLACES, ROUND_HALF_UP)


def _ranks(scores: dict[int, Decimal | None]) -> dict[int, int]:
    ordered = sorted((s, pk) for pk, s in scores.items() if s is not None)
    ordered.reverse()
    ranks, last_score, last_rank = {}, None, 0
    for position, (score, pk) in enumerate(ordered, start=1):
        if score != last_score:
            last_score, last_rank = score, position
        ranks[pk] = last_rank
    return ranks


@dataclass
class LeagueRow:
    organisation_id: int
    code: str
    name: str
    figures: PeriodFigures
    rates: dict[str, Decimal | None]
    score: Decimal | None
    rank: int | None = None
    previous_rank: int | None = None
    previous_score: Decimal | None = None

    @property
    def change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def score_percent(self) -> int:
        """The score as a whole number for the page's bars (0 without a score)."""
        return int(self.score.to_integral_value(ROUND_HALF_UP)) if self.score is not None else 0

    def percent(self, key: str) -> int:
        rate = self.rates.get(key)
        return int((rate * 100).to_integral_value(ROUND_HALF_UP)) if rate is not None else 0


@dataclass
class League:
    year: int
    month: int | None
    previous: tuple[int, int | None]
    weights: dict[str, int]
    rows: list[LeagueRow]
    minimum: int

    @property
    def period(self) -> str:
        return period_key(self.year, self.month)


def _rating_aggregates(periods: dict[str, tuple]) -> dict:
    """The aggregates of /hdjl/hcp/ once per period, each restricted to the period's ratings."""
    values = {}
    for name, (start, end) in periods.items():
        within = Q(created_at__gte=start, created_at__lt=end)
        for key, aggregate in _aggregates(within).items():
            values[f"{name}__{key}"] = aggregate
    return values


def league_table(
    *, year: int, month: int | None = None, today: date | None = None, weights=None
) -> League:
    """The league of the district bureaus for the year (or the month of it), ranked, with each
    district's rank in the previous period. Six queries (see the module)."""
    today = today or timezone.localdate()
    minimum = publish_minimum()
    weights = weights if weights is not None else league_weights()
    previous = previous_period(year, month)
    moments = {CURRENT: _period(year, month), PREVIOUS: _period(*previous)}
    days = {CURRENT: _dates(year, month), PREVIOUS: _dates(*previous)}

    orgs = list(
        Organisation.objects.filter(live=True, is_active=True)
        .order_by("sort_order", "code")
        .values("pk", "parent_id", "code", "name", "kind")
    )
    own: dict[int, dict[str, PeriodFigures]] = {}

    def cell(pk: int, name: str) -> PeriodFigures:
        periods = own.setdefault(pk, {})
        if name not in periods:
            periods[name] = PeriodFigures(ratings=RatingFigures(minimum=minimum))
        return periods[name]

    earliest, latest = moments[PREVIOUS][0], moments[CURRENT][1]
    for row in (
        Rating.objects.filter(created_at__gte=earliest, created_at__lt=latest)
        .order_by()
        .values("organisation_id")
        .annotate(**_rating_aggregates(moments))
    ):
        for name in moments:
            prefix = f"{name}__"
            values = {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}
            cell(row["organisation_id"], name).ratings = _figures(values, minimum)
    kinds = (
        ("complaints", deadline_counts(Complaint.objects.all(), periods=days, today=today)),
        ("requests", request_deadline_counts(periods=days, today=today)),
        (None, deadline_counts(Application.objects.all(), periods=days, today=today)),
        (None, deadline_counts(Rectification.objects.all(), periods=days, today=today)),
    )
    for attribute, counts in kinds:
        for pk, by_period in counts.items():
            for name, count in by_period.items():
                figures = cell(pk, name)
                figures.cases.add(count)
                if attribute:
                    getattr(figures, attribute).add(count)

    children: dict[int | None, list[int]] = {}
    for org in orgs:
        children.setdefault(org["parent_id"], []).append(org["pk"])

    def rolled_up(pk: int, name: str) -> PeriodFigures:
        figures = PeriodFigures(ratings=RatingFigures(minimum=minimum))
        stack, seen = [pk], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if name in own.get(node, {}):
                figures.add(own[node][name])
            stack.extend(children.get(node, ()))
        return figures

    rows, previous_scores = [], {}
    for org in orgs:
        if org["kind"] != OrganisationKind.DISTRICT:
            continue
        figures = rolled_up(org["pk"], CURRENT)
        rates = figures.rates(minimum)
        rows.append(
            LeagueRow(
                organisation_id=org["pk"],
                code=org["code"],
                name=org["name"],
                figures=figures,
                rates=rates,
                score=combined_score(rates, weights),
            )
        )
        previous_scores[org["pk"]] = combined_score(
            rolled_up(org["pk"], PREVIOUS).rates(minimum), weights
        )
    ranks = _ranks({row.organisation_id: row.score for row in rows})
    previous_ranks = _ranks(previous_scores)
    for row in rows:
        row.rank = ranks.get(row.organisation_id)
        row.previous_rank = previous_ranks.get(row.organisation_id)
        row.previous_score = previous_scores.get(row.organisation_id)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
    return League(
        year=year,
        month=month,
        previous=previous,
        weights=weights,
        rows=rows,
        minimum=minimum,
    )

"""Reads of the surveys: the link's questionnaire, and the figures by SQL aggregation.

`survey_report` answers in five queries whatever the number of answers: the draws by organisation
and month, the answered invitations by organisation and month, the answers by organisation,
question and option, the questions named there, and the latest approved texts. Rates are
published only from `publish_minimum()` up (SURVEY_PUBLISH_MINIMUM, else RATINGS_PUBLISH_MINIMUM):
the response rate from that many sampled cases, the satisfaction rate from that many answers.
No figure names a case or a person; text is only ever read here once approved."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .actions import token_hash
from .errors import SurveyLinkExpired, SurveyLinkUnknown, SurveyLinkUsed
from .models import (
    SATISFIED_SCORES,
    SCALE_CHOICES,
    Question,
    QuestionKind,
    ReviewStatus,
    SurveyAnswer,
    SurveyDraw,
    SurveyInvitation,
)

PLACES = Decimal("0.001")  # a rate is published as a per cent with one decimal


def publish_minimum() -> int:
    value = getattr(settings, "SURVEY_PUBLISH_MINIMUM", None)
    if value is None:
        value = getattr(settings, "RATINGS_PUBLISH_MINIMUM", 10)
    return int(value)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


def invitation_for_answer(token: str):
    """The open invitation of a link and its questions (two queries), or the reason it is not
    open: SurveyLinkUnknown, SurveyLinkUsed, SurveyLinkExpired."""
    invitation = (
        SurveyInvitation.objects.select_related("draw__questionnaire", "organisation")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyLinkUnknown()
    if invitation.answered_at is not None:
        raise SurveyLinkUsed()
    if invitation.expires_at <= timezone.now():
        raise SurveyLinkExpired()
    questions = list(Question.objects.filter(questionnaire_id=invitation.draw.questionnaire_id))
    return invitation, questions


@dataclass
class SurveyFigures:
    population: int = 0
    no_contact: int = 0
    sampled: int = 0
    answered: int = 0
    scale_answers: int = 0
    satisfied: int = 0
    minimum: int = 10

    def add(self, other: "SurveyFigures") -> None:
        for name in (
            "population",
            "no_contact",
            "sampled",
            "answered",
            "scale_answers",
            "satisfied",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def response_rate(self) -> Decimal | None:
        return _rate(self.answered, self.sampled) if self.sampled >= self.minimum else None

    @property
    def satisfaction_rate(self) -> Decimal | None:
        if self.answered < self.minimum:
            return None
        return _rate(self.satisfied, self.scale_answers)


@dataclass
class QuestionFigures:
    question_id: int
    text: str
    kind: str
    kind_label: str
    questionnaire: str
    answered: int = 0
    options: list[dict] = field(default_factory=list)  # {label, count, rate}


def _period_filter(prefix: str, year: int, month: int | None, organisation_ids) -> Q:
    q = Q(**{f"{prefix}year": year})
    if month:
        q &= Q(**{f"{prefix}month": month})
    if organisation_ids is not None:
        q &= Q(**{f"{prefix}organisation_id__in": list(organisation_ids)})
    return q


def survey_report(
    *, year: int, month: int | None = None, organisation_ids=None, texts: int = 20
) -> dict:
    """The figures of a year or a month: in total, per organisation (the organisation that
    handled the case) and per month, the answers per question, and up to `texts` approved texts.
    `organisation_ids` limits everything to those organisations (a staff member's subtree)."""
    minimum = publish_minimum()
    total = SurveyFigures(minimum=minimum)
    per_org: dict[int, SurveyFigures] = {}
    org_names: dict[int, tuple[str, str]] = {}
    per_month: dict[int, SurveyFigures] = {}

    def cell(table: dict, key: int) -> SurveyFigures:
        return table.setdefault(key, SurveyFigures(minimum=minimum))

    draws = (
        SurveyDraw.objects.filter(_period_filter("", year, month, organisation_ids))
        .values("organisation_id", "organisation__code", "organisation__name", "month")
        .annotate(
            population=Sum("population"), no_contact=Sum("no_contact"), sampled=Sum("sampled")
        )
        .order_by()
    )
    for row in draws:
        org_names[row["organisation_id"]] = (row["organisation__code"], row["organisation__name"])
        for target in (cell(per_org, row["organisation_id"]), cell(per_month, row["month"]), total):
            target.population += row["population"]
            target.no_contact += row["no_contact"]
            target.sampled += row["sampled"]

    answered = (
        SurveyInvitation.objects.filter(
            _period_filter("draw__", year, month, None), answered_at__isnull=False
        )
        .filter(
            **(
                {"organisation_id__in": list(organisation_ids)}
                if organisation_ids is not None
                else {}
            )
        )
        .values("organisation_id", "draw__month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in answered:
        for target in (
            cell(per_org, row["organisation_id"]),
            cell(per_month, row["draw__month"]),
            total,
        ):
            target.answered += row["n"]

    scope = _period_filter("invitation__draw__", year, month, None)
    if organisation_ids is not None:
        scope &= Q(invitation__organisation_id__in=list(organisation_ids))
    answers = (
        SurveyAnswer.objects.filter(scope)
        .values("invitation__organisation_id", "question_id", "score", "choice")
        .annotate(n=Count("pk"), respondents=Count("invitation_id", distinct=True))
        .order_by()
    )
    by_question: dict[int, dict] = defaultdict(
        lambda: {"scores": defaultdict(int), "choices": defaultdict(int), "n": 0}
    )
    for row in answers:
        entry = by_question[row["question_id"]]
        if row["score"] is not None:
            entry["scores"][row["score"]] += row["n"]
            org = cell(per_org, row["invitation__organisation_id"])
            satisfied = row["n"] if row["score"] in SATISFIED_SCORES else 0
            for target in (org, total):
                target.scale_answers += row["n"]
                target.satisfied += satisfied
        elif row["choice"]:
            entry["choices"][row["choice"]] += row["n"]
        else:
            entry["n"] += row["n"]  # texts: counted, never read here
    questions = Question.objects.filter(pk__in=list(by_question)).select_related("questionnaire")
    question_rows = []
    for q in sorted(questions, key=lambda q: (-q.questionnaire.version, q.sort_order or 0, q.pk)):
        entry = by_question[q.pk]
        figures = QuestionFigures(
            question_id=q.pk,
            text=q.text,
            kind=q.kind,
            kind_label=q.get_kind_display(),
            questionnaire=str(q.questionnaire),
        )
        if q.kind == QuestionKind.SCALE:
            figures.answered = sum(entry["scores"].values())
            labelled = [
                (str(label), entry["scores"].get(score, 0)) for score, label in SCALE_CHOICES
            ]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            figures.answered = sum(entry["choices"].values())
            known = q.choice_list()
            labelled = [(c, entry["choices"].get(c, 0)) for c in known]
            labelled += [(c, n) for c, n in entry["choices"].items() if c not in known]
        else:
            figures.answered = entry["n"]
            labelled = []
        public = figures.answered >= minimum
        figures.options = [
            {"label": label, "count": n, "rate": _rate(n, figures.answered) if public else None}
            for label, n in labelled
        ]
        question_rows.append(figures)

    text_scope = scope & Q(review_status=ReviewStatus.APPROVED)
    approved = list(
        SurveyAnswer.objects.filter(text_scope)
        .order_by("-invitation__answered_at", "-pk")
        .values(
            "text",
            "question__text",
            "invitation__organisation__name",
            "invitation__draw__year",
            "invitation__draw__month",
        )[:texts]
    )

    rows = [
        {
            "organisation": {
                "id": pk,
                "code": org_names.get(pk, ("", ""))[0],
                "name": org_names.get(pk, ("", ""))[1],
            },
            "f": f,
        }
        for pk, f in per_org.items()
    ]
    rows.sort(key=lambda r: r["organisation"]["code"])
    return {
        "year": year,
        "month": month,
        "period": _("%(y)s年%(m)s月") % {"y": year, "m": month}
        if month
        else _("%(y)s年") % {"y": year},
        "minimum": minimum,
        "total": total,
        "rows": rows,
        "months": [{"month": m, "f": per_month[m]} for m in sorted(per_month)] if not month else [],
        "questions": question_rows,
        "texts": [
            {
                "text": t["text"],
                "question": t["question__text"],
                "organisation": t["invitation__organisation__name"],
                "period": _("%(y)s年%(m)s月")
                % {"y": t["invitation__draw__year"], "m": t["invitation__draw__month"]},
            }
            for t in approved
        ],
    }


def survey_years() -> list[int]:
    """The years with draws, newest first (one query)."""
    return list(SurveyDraw.objects.order_by("-year").values_list("year", flat=True).distinct())


def pending_texts(*, organisation_ids=None, limit: int = 50) -> tuple[int, list]:
    """Free-text answers waiting for review (count and the oldest `limit`), for reviewers only:
    the text (already scrubbed of ID and phone numbers at submission), the question, the
    organisation and the month — never the case or the applicant. Two queries."""
    qs = SurveyAnswer.objects.filter(review_status=ReviewStatus.PENDING)
    if organisation_ids is not None:
        qs = qs.filter(invitation__organisation_id__in=list(organisation_ids))
    count = qs.count()
    rows = list(
        qs.order_by("pk").values(
            "pk",
            "text",
            "question__text",
            "invitation__organisation__name",
            "invitation__draw__year",
            "invitation__draw__month",
        )[:limit]
    )
    return count, rows

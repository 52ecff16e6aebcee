"""Every write of the surveys, one transaction each.

- `survey_month_draw(year=, month=)` draws the month's sample of every organisation that has none
  yet, from the finished cases of every kind (`portal.cases.models.case_models()`), and sends each
  sampled applicant the one-time link through `portal.notify` (the notices commit with the draw
  and are retried by the notify machinery, so none is lost). `draw_monthly_surveys` is the task
  the scheduler enqueues (`manage.py draw_surveys`).
- `survey_answer_submit(token=, answers=)` records the one answer a link allows.
- `survey_text_review(answer=, status=, user=)` approves or rejects a free-text answer.
- `questionnaire_new_version(questionnaire=)` copies a frozen questionnaire into a new draft.
"""

import hashlib
import logging
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases.models import case_models
from portal.errors import ValidationFailed
from portal.frontcache.backends import Ban
from portal.frontcache.purge import ban_after_commit
from portal.notify.actions import notify
from portal.organisations import Organisation
from portal.privacy import MOBILE_RE, normalise_phone, scrub_text

from . import sampling
from .errors import SurveyAnswerNotFound, SurveyLinkExpired, SurveyLinkUnknown, SurveyLinkUsed
from .models import (
    Question,
    QuestionKind,
    Questionnaire,
    ReviewStatus,
    SurveyAnswer,
    SurveyDraw,
    SurveyInvitation,
)

logger = logging.getLogger("portal.surveys")

TEXT_MAX = 1000
# What an answer or a review changes on the public side: /hdjl/wj/ (its filters are query strings).
PUBLISHED_RESULTS = frozenset({Ban("/hdjl/wj/", prefix=False)})
NOT_FINISHED = ("withdrawn",)  # closed but not served: nothing to be satisfied with


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_contact(phone: str, email: str) -> bool:
    return bool(MOBILE_RE.match(normalise_phone(phone or "")) or (email or "").strip())


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def previous_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def _finished_cases(year: int, month: int) -> list[dict]:
    """The cases of every kind finished in the month: one query per kind."""
    start, end = month_bounds(year, month)
    rows = []
    for kind, model in sorted(case_models().items()):
        finished = [s for s in model.CLOSED_STATUSES if s not in NOT_FINISHED]
        for row in model.objects.filter(
            status__in=finished, closed_at__gte=start, closed_at__lt=end
        ).values("case_number", "organisation_id", "applicant_phone", "applicant_email"):
            rows.append({**row, "kind": kind})
    return rows


def _answer_url(token: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("survey_answer", args=[token])


@transaction.atomic
def survey_month_draw(*, year: int, month: int) -> list[SurveyDraw]:
    """Draw (year, month) for every organisation with finished cases and no draw yet. Returns the
    new draws; running it again draws nothing. Without an active questionnaire nothing is drawn."""
    questionnaire = Questionnaire.objects.select_for_update().filter(active=True).first()
    if questionnaire is None:
        logger.warning("没有启用的满意度问卷，%s年%s月未抽样", year, month)
        return []
    if not questionnaire.questions.exists():
        logger.warning("启用的满意度问卷没有题目，%s年%s月未抽样", year, month)
        return []
    cases = _finished_cases(year, month)
    drawn_before = set(
        SurveyDraw.objects.filter(year=year, month=month).values_list("organisation_id", flat=True)
    )
    sampled_before = set(
        SurveyInvitation.objects.filter(
            case_number__in=[c["case_number"] for c in cases]
        ).values_list("case_number", flat=True)
    )
    by_org: dict[int, list[dict]] = defaultdict(list)
    for case in cases:
        if (
            case["organisation_id"] not in drawn_before
            and case["case_number"] not in sampled_before
        ):
            by_org[case["organisation_id"]].append(case)
    organisations = Organisation.objects.in_bulk(list(by_org))
    now = timezone.now()
    secret = getattr(settings, "SURVEY_SEED", "") or "sunshine-surveys"
    expires = now + timedelta(days=questionnaire.link_days)
    draws = []
    for org_id in sorted(by_org):
        organisation = organisations[org_id]
        population = by_org[org_id]
        reachable = {
            c["case_number"]: c
            for c in population
            if has_contact(c["applicant_phone"], c["applicant_email"])
        }
        seed = sampling.draw_seed(
            secret, year=year, month=month, organisation_code=organisation.code
        )
        count = sampling.sample_count(
            len(reachable), size=questionnaire.sample_size, rate=questionnaire.sample_rate
        )
        chosen = sampling.draw(list(reachable), count, seed)
        draw = SurveyDraw.objects.create(
            questionnaire=questionnaire,
            organisation=organisation,
            year=year,
            month=month,
            seed=seed,
            population=len(population),
            no_contact=len(population) - len(reachable),
            sampled=len(chosen),
            drawn_at=now,
        )
        for number in chosen:
            case = reachable[number]
            token = secrets.token_urlsafe(32)
            SurveyInvitation.objects.create(
                draw=draw,
                organisation=organisation,
                case_kind=case["kind"],
                case_number=number,
                token_hash=token_hash(token),
                created_at=now,
                expires_at=expires,
            )
            notify(
                phone=case["applicant_phone"],
                email=case["applicant_email"],
                template="survey_invitation",
                context={
                    "organisation_name": organisation.name,
                    "link": _answer_url(token),
                    "expires": timezone.localdate(expires),
                },
                organisation=organisation,
                reference=number,
                subject=_("满意度回访问卷"),
            )
        draws.append(draw)
    if any(d.sampled for d in draws) and questionnaire.frozen_at is None:
        questionnaire.frozen_at = now
        questionnaire.save(update_fields=["frozen_at"])
    logger.info(
        "%s年%s月满意度抽样：%s个机构，抽取%s件",
        year,
        month,
        len(draws),
        sum(d.sampled for d in draws),
    )
    return draws


@task
def draw_monthly_surveys(*, year: int | None = None, month: int | None = None) -> dict:
    """The scheduled job: the previous month's draw (idempotent, so it may run daily)."""
    if year is None or month is None:
        year, month = previous_month(timezone.localdate())
    draws = survey_month_draw(year=year, month=month)
    return {
        "year": year,
        "month": month,
        "draws": len(draws),
        "sampled": sum(d.sampled for d in draws),
    }


def _clean_answers(questions: list[Question], answers: dict[int, object]) -> list[SurveyAnswer]:
    errors: dict[str, list[str]] = {}
    rows: list[SurveyAnswer] = []
    for q in questions:
        field = f"q{q.pk}"
        value = answers.get(q.pk)
        empty = value in (None, "", [], ())
        if empty:
            if q.required:
                errors[field] = [_("请回答这道题。")]
            continue
        if q.kind == QuestionKind.SCALE:
            try:
                score = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                score = 0
            if score not in (1, 2, 3, 4, 5):
                errors[field] = [_("请选择一个满意程度。")]
                continue
            rows.append(SurveyAnswer(question=q, score=score))
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            picked = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
            options = q.choice_list()
            if any(p not in options for p in picked) or (
                q.kind == QuestionKind.SINGLE and len(picked) != 1
            ):
                errors[field] = [_("请从列出的选项中选择。")]
                continue
            rows.extend(SurveyAnswer(question=q, choice=p) for p in dict.fromkeys(picked))
        else:
            text = str(value).strip()
            if len(text) > TEXT_MAX:
                errors[field] = [_("意见请不超过%(n)s字。") % {"n": TEXT_MAX}]
                continue
            rows.append(
                SurveyAnswer(question=q, text=scrub_text(text), review_status=ReviewStatus.PENDING)
            )
    if errors:
        raise ValidationFailed(_("问卷还有未完成或填写有误的题目。"), errors)
    return rows


@transaction.atomic
def survey_answer_submit(*, token: str, answers: dict[int, object]) -> SurveyInvitation:
    """The one answer of a link: `answers` maps question id → score, option(s) or text.
    Raises SurveyLinkUnknown / SurveyLinkExpired / SurveyLinkUsed, or ValidationFailed."""
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("draw")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyLinkUnknown()
    if invitation.answered_at is not None:
        raise SurveyLinkUsed()
    now = timezone.now()
    if invitation.expires_at <= now:
        raise SurveyLinkExpired()
    questions = list(Question.objects.filter(questionnaire_id=invitation.draw.questionnaire_id))
    rows = _clean_answers(questions, answers)
    for row in rows:
        row.invitation = invitation
    SurveyAnswer.objects.bulk_create(rows)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    ban_after_commit(PUBLISHED_RESULTS)  # the response rates changed
    return invitation


@transaction.atomic
def survey_text_review(*, answer_id: int, status: str, user, organisation_ids=None) -> SurveyAnswer:
    """Approve or reject one free-text answer (within the reviewer's organisations, if given)."""
    if status not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        raise ValidationFailed(_("审核结果无效。"))
    qs = SurveyAnswer.objects.select_for_update().exclude(review_status="")
    if organisation_ids is not None:
        qs = qs.filter(invitation__organisation_id__in=organisation_ids)
    answer = qs.filter(pk=answer_id).first()
    if answer is None:
        raise SurveyAnswerNotFound(_("没有找到这条意见。"))
    answer.review_status = status
    answer.reviewed_by = user
    answer.reviewed_at = timezone.now()
    answer.save(update_fields=["review_status", "reviewed_by", "reviewed_at"])
    ban_after_commit(PUBLISHED_RESULTS)  # an approved text appears, a withdrawn one goes
    logger.info("问卷意见 %s 审核为 %s（工作人员 %s）", answer.pk, status, getattr(user, "pk", "-"))
    return answer


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new, unsent copy of a questionnaire (its questions included), one version higher; the
    copy is not active until someone activates it."""
    latest = Questionnaire.objects.filter(title=questionnaire.title).order_by("-version").first()
    copy = Questionnaire.objects.create(
        title=questionnaire.title,
        intro=questionnaire.intro,
        version=(latest.version if latest else questionnaire.version) + 1,
        sample_size=questionnaire.sample_size,
        sample_rate=questionnaire.sample_rate,
        link_days=questionnaire.link_days,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=copy,
            sort_order=q.sort_order,
            kind=q.kind,
            text=q.text,
            choices=q.choices,
            required=q.required,
        )
        for q in questionnaire.questions.all()
    )
    return copy

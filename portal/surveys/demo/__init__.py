"""Demo 随机问卷 history for /hdjl/wj/ (满意度调查结果) and 报表 › 满意度调查: the bureau's
questionnaire and the twelve full months before the load, each month drawn on its 1st at 06:15
for every district and centre — plausible numbers of finished cases, a few without contact, 10 %
sampled up to 20, a response rate and a mood of its own per organisation, answers mostly 非常满意
or 满意, and some comments (the older ones reviewed, mostly approved; last month's pending).

Seeded, so every load makes the same history. Like the demo's 好差评 the sampled cases are no
real case: their numbers start with "DW", a prefix no case kind uses, and their link tokens were
never kept (the stored hashes are of random values nobody holds). Idempotent: nothing is created
once a "DW" invitation exists."""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.organisations import Organisation, OrganisationKind
from portal.surveys.actions import month_bounds
from portal.surveys.models import (
    Question,
    QuestionKind,
    Questionnaire,
    ReviewStatus,
    SurveyAnswer,
    SurveyDraw,
    SurveyInvitation,
)
from portal.surveys.sampling import draw_seed, sample_count

PREFIX = "DW"
SEED = 2026_1503
MONTHS = 12
TITLE = "办事群众满意度回访问卷"
QUESTIONS = [
    (QuestionKind.SCALE, "您对本次办事的总体满意度", "", True),
    (QuestionKind.SCALE, "您对工作人员服务态度的评价", "", True),
    (QuestionKind.SINGLE, "本次办事您跑了几次？", "一次办成\n两次\n三次及以上", True),
    (
        QuestionKind.MULTIPLE,
        "您认为哪些方面还需要改进？（可多选）",
        "等候时间\n材料要求\n办事指南说明\n服务态度\n网上办理",
        False,
    ),
    (QuestionKind.TEXT, "其他意见和建议", "", False),
]
COMMENTS = [
    "窗口工作人员很耐心，一次就办好了。",
    "网上预约很方便，希望能多开放几个时段。",
    "材料清单写得很清楚，没有白跑。",
    "等候时间有点长，希望高峰期多开窗口。",
    "办事指南里的表格样张很有用。",
    "工作人员主动告诉我还能申请哪些补贴，非常感谢。",
    "希望能在手机上查看办理进度的短信再详细一点。",
    "停车不太方便。",
    "老年人办事有专人引导，很贴心。",
    "电话咨询一直占线，建议增加咨询电话。",
]
UNPUBLISHABLE = ["办事员王某某态度差，电话138 0000 0000", "找了熟人才办下来"]
SCALE_WEIGHTS = {5: 58, 4: 24, 3: 10, 2: 5, 1: 3}
KINDS = (("application", 70), ("disclosure_request", 15), ("complaint", 15))


def _months(today: date) -> list[tuple[int, int]]:
    months, y, m = [], today.year, today.month
    for _ in range(MONTHS):
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        months.append((y, m))
    return list(reversed(months))


def _questionnaire() -> Questionnaire:
    q = Questionnaire.objects.filter(title=TITLE).order_by("-version").first()
    if q is None:
        q = Questionnaire.objects.create(
            title=TITLE,
            intro="为改进服务，我们每月从已办结的办件中随机抽取部分办事群众回访。感谢您抽出1分钟作答。",
            active=not Questionnaire.objects.filter(active=True).exists(),
            sample_size=20,
            sample_rate=10,
            link_days=30,
        )
        Question.objects.bulk_create(
            Question(questionnaire=q, sort_order=i, kind=k, text=t, choices=c, required=r)
            for i, (k, t, c, r) in enumerate(QUESTIONS)
        )
    return q


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def load(*, stdout=None) -> str:
    if SurveyInvitation.objects.filter(case_number__startswith=PREFIX).exists():
        return "满意度问卷：已存在，未新建"
    rng = random.Random(SEED)  # noqa: S311 - a reproducible demo history, not a secret
    questionnaire = _questionnaire()
    questions = list(questionnaire.questions.all())
    organisations = list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.DISTRICT, OrganisationKind.CENTRE), live=True, is_active=True
        ).order_by("code")
    )
    drawn = set(SurveyDraw.objects.values_list("organisation_id", "year", "month"))
    profile = {
        org.pk: {
            "finished": rng.randint(60, 220)
            if org.kind == OrganisationKind.DISTRICT
            else rng.randint(30, 120),
            "response": rng.uniform(0.45, 0.78),
            "mood": rng.choice((0.5, 0.8, 1.0, 1.0, 1.3, 1.8)),  # scales the 基本满意 and below
        }
        for org in organisations
    }
    now = timezone.now()
    tz = timezone.get_current_timezone()
    months = _months(timezone.localdate())
    invitations, plan, serial = [], [], 0
    for year, month in months:
        _start, end = month_bounds(year, month)
        drawn_at = timezone.make_aware(datetime.combine(end.date(), time(6, 15)), tz)
        if drawn_at > now:
            continue
        for org in organisations:
            if (org.pk, year, month) in drawn:
                continue
            p = profile[org.pk]
            population = max(1, round(p["finished"] * rng.uniform(0.8, 1.2)))
            no_contact = sum(rng.random() < 0.03 for _ in range(population))
            sampled = sample_count(
                population - no_contact,
                size=questionnaire.sample_size,
                rate=questionnaire.sample_rate,
            )
            draw = SurveyDraw.objects.create(
                questionnaire=questionnaire,
                organisation=org,
                year=year,
                month=month,
                seed=draw_seed("demo", year=year, month=month, organisation_code=org.code),
                population=population,
                no_contact=no_contact,
                sampled=sampled,
                drawn_at=drawn_at,
            )
            for _ in range(sampled):
                serial += 1
                answered_at = None
                if rng.random() < p["response"]:
                    answered_at = drawn_at + timedelta(hours=rng.uniform(1, 20 * 24))
                    if answered_at > now:
                        answered_at = None
                kind = _pick(rng, dict(KINDS))
                invitations.append(
                    SurveyInvitation(
                        draw=draw,
                        organisation=org,
                        case_kind=kind,
                        case_number=f"{PREFIX}{year:04d}{month:02d}{serial:08d}",
                        token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
                        created_at=drawn_at,
                        expires_at=drawn_at + timedelta(days=questionnaire.link_days),
                        answered_at=answered_at,
                    )
                )
                plan.append((p, (year, month) == months[-1]))
    SurveyInvitation.objects.bulk_create(invitations)
    answers = []
    for inv, (p, latest) in zip(invitations, plan, strict=True):
        if inv.answered_at is None:
            continue
        weights = {s: w * (p["mood"] if s <= 3 else 1) for s, w in SCALE_WEIGHTS.items()}
        for q in questions:
            if q.kind == QuestionKind.SCALE:
                answers.append(SurveyAnswer(invitation=inv, question=q, score=_pick(rng, weights)))
            elif q.kind == QuestionKind.SINGLE:
                choice = _pick(rng, dict(zip(q.choice_list(), (75, 18, 7), strict=False)))
                answers.append(SurveyAnswer(invitation=inv, question=q, choice=choice))
            elif q.kind == QuestionKind.MULTIPLE:
                for choice in rng.sample(q.choice_list(), rng.choice((0, 0, 1, 1, 2))):
                    answers.append(SurveyAnswer(invitation=inv, question=q, choice=choice))
            elif rng.random() < 0.22:
                bad = rng.random() < 0.08
                text = rng.choice(UNPUBLISHABLE if bad else COMMENTS)
                if latest:
                    status = ReviewStatus.PENDING
                else:
                    status = ReviewStatus.REJECTED if bad else ReviewStatus.APPROVED
                answers.append(
                    SurveyAnswer(
                        invitation=inv,
                        question=q,
                        text=text,
                        review_status=status,
                        reviewed_at=None if latest else inv.answered_at + timedelta(days=2),
                    )
                )
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    if invitations and questionnaire.frozen_at is None:
        questionnaire.frozen_at = min(i.created_at for i in invitations)
        questionnaire.save(update_fields=["frozen_at"])
    answered = sum(1 for i in invitations if i.answered_at)
    return f"满意度问卷：{len(invitations)}份邀请，{answered}份答卷"

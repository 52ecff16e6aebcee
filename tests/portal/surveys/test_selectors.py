"""The published figures against a hand-counted world (SURVEY_PUBLISH_MINIMUM = 5):

黄浦区 (district_a), 2026-03: 10 finished, 2 without contact, 8 sampled, 5 answered:
    总体满意度 5, 5, 4, 3, 1; 办理次数 一次办成 ×3, 两次 ×2; 改进 等候时间 ×2, 服务态度 ×1;
    texts: one approved ("窗口很好"), one pending ("待审"), one rejected ("不宜").
徐汇区 (district_b), 2026-03: 3 finished, 3 sampled, 1 answered: 总体满意度 2.
黄浦区, 2026-04: 4 finished, 4 sampled, 2 answered: 5, 4.
黄浦区, 2025-12: 1 sampled, 1 answered (another year: never counted in 2026).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from portal.surveys.models import (
    ReviewStatus,
    SurveyAnswer,
    SurveyDraw,
    SurveyInvitation,
)
from portal.surveys.selectors import pending_texts, survey_report
from tests.factories import org_tree

from .world import SH, questionnaire

pytestmark = pytest.mark.django_db
_n = count(1)


def make_draw(q, org, year, month, *, population, no_contact=0, sampled):
    return SurveyDraw.objects.create(
        questionnaire=q,
        organisation=org,
        year=year,
        month=month,
        seed="s",
        population=population,
        no_contact=no_contact,
        sampled=sampled,
        drawn_at=datetime(year, month, 1, 9, tzinfo=SH),
    )


def invite(draw, *, answered=True):
    n = next(_n)
    now = timezone.now()
    return SurveyInvitation.objects.create(
        draw=draw,
        organisation=draw.organisation,
        case_kind="complaint",
        case_number=f"TS{n:015d}",
        token_hash=f"{n:064d}",
        created_at=now,
        expires_at=now + timedelta(days=30),
        answered_at=now if answered else None,
    )


def answer(inv, question, *, score=None, choice="", text="", review=""):
    return SurveyAnswer(
        invitation=inv,
        question=question,
        score=score,
        choice=choice,
        text=text,
        review_status=review,
    )


@pytest.fixture
def world(settings):
    settings.SURVEY_PUBLISH_MINIMUM = 5
    tree = org_tree()
    a, b = tree["district_a"], tree["district_b"]
    q = questionnaire()
    qs = {x.text: x for x in q.questions.all()}
    scale, single, multi, text = (
        qs[t] for t in ("总体满意度", "办理次数", "哪些方面需要改进", "其他意见")
    )
    rows = []
    march_a = make_draw(q, a, 2026, 3, population=10, no_contact=2, sampled=8)
    invs = [invite(march_a) for _ in range(5)] + [invite(march_a, answered=False) for _ in range(3)]
    for inv, score in zip(invs, (5, 5, 4, 3, 1), strict=False):
        rows.append(answer(inv, scale, score=score))
    for inv, choice in zip(
        invs, ("一次办成", "一次办成", "一次办成", "两次", "两次"), strict=False
    ):
        rows.append(answer(inv, single, choice=choice))
    rows += [
        answer(invs[0], multi, choice="等候时间"),
        answer(invs[0], multi, choice="服务态度"),
        answer(invs[1], multi, choice="等候时间"),
        answer(invs[0], text, text="窗口很好", review=ReviewStatus.APPROVED),
        answer(invs[1], text, text="待审", review=ReviewStatus.PENDING),
        answer(invs[2], text, text="不宜", review=ReviewStatus.REJECTED),
    ]
    march_b = make_draw(q, b, 2026, 3, population=3, sampled=3)
    b_invs = [invite(march_b)] + [invite(march_b, answered=False) for _ in range(2)]
    rows.append(answer(b_invs[0], scale, score=2))
    april_a = make_draw(q, a, 2026, 4, population=4, sampled=4)
    april = [invite(april_a) for _ in range(2)] + [
        invite(april_a, answered=False) for _ in range(2)
    ]
    rows += [answer(april[0], scale, score=5), answer(april[1], scale, score=4)]
    dec = make_draw(q, a, 2025, 12, population=1, sampled=1)
    rows.append(answer(invite(dec), scale, score=1))
    SurveyAnswer.objects.bulk_create(rows)
    return {"a": a, "b": b, "q": q, "scale": scale, "single": single, "multi": multi}


def test_a_month_in_total_and_per_organisation(world):
    r = survey_report(year=2026, month=3)
    t = r["total"]
    assert (t.population, t.no_contact, t.sampled, t.answered) == (13, 2, 11, 6)
    assert t.response_rate == Decimal("0.545") and t.satisfaction_rate == Decimal("0.667")
    rows = {row["organisation"]["code"]: row["f"] for row in r["rows"]}
    a, b = rows[world["a"].code], rows[world["b"].code]
    assert (a.sampled, a.answered, a.response_rate, a.satisfaction_rate) == (
        8,
        5,
        Decimal("0.6250"),
        Decimal("0.8000"),
    )
    # 3 sampled and 1 answer: below the minimum, only the counts
    assert (b.sampled, b.answered, b.response_rate, b.satisfaction_rate) == (3, 1, None, None)
    assert r["period"] == "2026年3月" and r["months"] == []


def test_a_year_with_its_months(world):
    r = survey_report(year=2026)
    t = r["total"]
    assert (t.sampled, t.answered, t.response_rate, t.satisfaction_rate) == (
        15,
        8,
        Decimal("0.533"),
        Decimal("0.7500"),
    )
    rows = {row["organisation"]["code"]: row["f"] for row in r["rows"]}
    a = rows[world["a"].code]
    assert (a.sampled, a.answered, a.satisfaction_rate) == (12, 7, Decimal("0.857"))
    months = {m["month"]: m["f"] for m in r["months"]}
    assert (months[3].sampled, months[3].answered) == (11, 6)
    assert (months[4].sampled, months[4].answered, months[4].response_rate) == (4, 2, None)
    assert survey_report(year=2025)["total"].answered == 1


def test_answers_per_question(world):
    r = survey_report(year=2026, month=3)
    qs = {q.text: q for q in r["questions"]}
    scale = qs["总体满意度"]
    assert scale.answered == 6
    assert [(o["label"], o["count"]) for o in scale.options] == [
        ("非常满意", 2),
        ("满意", 1),
        ("基本满意", 1),
        ("不满意", 1),
        ("非常不满意", 1),
    ]
    assert scale.options[0]["rate"] == Decimal("0.333")
    single = qs["办理次数"]
    assert [(o["label"], o["count"], o["rate"]) for o in single.options] == [
        ("一次办成", 3, Decimal("0.6000")),
        ("两次", 2, Decimal("0.4000")),
        ("三次及以上", 0, Decimal("0")),
    ]
    multi = qs["哪些方面需要改进"]
    # 3 picks: below the minimum, counts without rates
    assert [(o["label"], o["count"], o["rate"]) for o in multi.options] == [
        ("等候时间", 2, None),
        ("材料要求", 0, None),
        ("服务态度", 1, None),
    ]
    assert qs["其他意见"].answered == 3 and qs["其他意见"].options == []


def test_only_approved_text_is_ever_read(world):
    r = survey_report(year=2026)
    assert [t["text"] for t in r["texts"]] == ["窗口很好"]
    assert (
        r["texts"][0]["organisation"] == "黄浦区民政局" and r["texts"][0]["period"] == "2026年3月"
    )
    count_, rows = pending_texts()
    assert count_ == 1 and [row["text"] for row in rows] == ["待审"]
    assert "case_number" not in str(rows)


def test_a_staff_scope_limits_everything(world):
    r = survey_report(year=2026, month=3, organisation_ids={world["b"].pk})
    assert [row["organisation"]["code"] for row in r["rows"]] == [world["b"].code]
    assert (r["total"].sampled, r["total"].answered) == (3, 1)
    assert r["texts"] == []
    assert pending_texts(organisation_ids={world["b"].pk})[0] == 0


def _bulk_answers(q, org, n):
    scale = q.questions.get(kind="scale")
    draw = make_draw(q, org, 2026, 7, population=n, sampled=n)
    now = timezone.now()
    start = next(_n) * 100000
    invs = SurveyInvitation.objects.bulk_create(
        SurveyInvitation(
            draw=draw,
            organisation=org,
            case_kind="complaint",
            case_number=f"SQ{start + i:015d}",
            token_hash=f"{start + i:064d}",
            created_at=now,
            expires_at=now,
            answered_at=now,
        )
        for i in range(n)
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(invitation=inv, question=scale, score=1 + i % 5) for i, inv in enumerate(invs)
    )


@pytest.mark.parametrize("n", [5, 5000])
def test_the_query_count_is_the_same_at_5_and_5000_answers(n, django_assert_num_queries):
    tree = org_tree()
    q = questionnaire()
    _bulk_answers(q, tree["district_a"], n)
    with django_assert_num_queries(5):
        r = survey_report(year=2026, month=7)
    assert r["total"].answered == n
    with django_assert_num_queries(5):
        survey_report(year=2026)

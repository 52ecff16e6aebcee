from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from portal.errors import ValidationFailed
from portal.frontcache.backends import Ban
from portal.notify.models import Notice
from portal.surveys import actions
from portal.surveys.errors import SurveyLinkExpired, SurveyLinkUnknown, SurveyLinkUsed
from portal.surveys.models import ReviewStatus, SurveyAnswer, SurveyDraw, SurveyInvitation
from portal.surveys.sampling import draw as pick
from services.complaints.models import Complaint
from tests.factories import org_tree

from .world import at, complaint, questionnaire, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return org_tree()


def _tokens(monkeypatch):
    """Capture the raw tokens as they are made (the database holds only their hashes)."""
    made = []
    real = actions.secrets.token_urlsafe

    def spy(n):
        token = real(n)
        made.append(token)
        return token

    monkeypatch.setattr(actions.secrets, "token_urlsafe", spy)
    return made


class TestDraw:
    def test_samples_finished_cases_of_every_kind_per_organisation(self, tree):
        questionnaire(sample_size=3, sample_rate=100)
        a, b = tree["district_a"], tree["district_b"]
        for day in range(1, 5):
            complaint(a, at(3, day))
            request(a, at(3, day + 10))
        complaint(b, at(3, 2))
        complaint(b, at(2, 27))  # February: not this month
        complaint(b, at(3, 3), status="withdrawn")  # closed but not served
        complaint(b, at(3, 4), phone="021-63211111")  # no mobile, no mail
        complaint(b, None, status="accepted")  # still open
        draws = actions.survey_month_draw(year=2026, month=3)
        by_org = {d.organisation_id: d for d in draws}
        assert (by_org[a.pk].population, by_org[a.pk].sampled, by_org[a.pk].no_contact) == (8, 3, 0)
        assert (by_org[b.pk].population, by_org[b.pk].sampled, by_org[b.pk].no_contact) == (2, 1, 1)
        kinds = set(SurveyInvitation.objects.values_list("case_kind", flat=True))
        assert kinds <= {"complaint", "disclosure_request"} and len(kinds) >= 1
        assert SurveyInvitation.objects.count() == 4

    def test_the_same_seed_draws_the_same_cases(self, tree, settings):
        settings.SURVEY_SEED = "fixed"
        questionnaire(sample_size=5, sample_rate=100)
        for day in range(1, 21):
            complaint(tree["district_a"], at(5, day))
        actions.survey_month_draw(year=2026, month=5)
        first = sorted(SurveyInvitation.objects.values_list("case_number", flat=True))
        draw = SurveyDraw.objects.get()
        assert draw.seed == "fixed:2026-05:002479001"
        candidates = list(Complaint.objects.values_list("case_number", flat=True))
        assert pick(candidates, 5, draw.seed) == first

    def test_a_second_run_draws_nothing_and_a_case_is_never_sampled_twice(self, tree):
        questionnaire(sample_size=50, sample_rate=100)
        for day in range(1, 6):
            complaint(tree["district_a"], at(6, day))
        assert len(actions.survey_month_draw(year=2026, month=6)) == 1
        assert actions.survey_month_draw(year=2026, month=6) == []
        assert SurveyInvitation.objects.count() == 5
        # the same cases are not eligible again, even if their month were drawn once more
        SurveyDraw.objects.filter(year=2026, month=6).update(month=7)
        assert actions.survey_month_draw(year=2026, month=6) == []
        assert SurveyInvitation.objects.count() == 5

    def test_respects_size_and_rate(self, tree):
        questionnaire(sample_size=4, sample_rate=10)
        for day in range(1, 31):
            complaint(tree["district_a"], at(4, day))  # 30 → 10 % = 3
        for i in range(60):
            complaint(tree["district_b"], at(4, 1 + i % 28))  # 60 → 6, capped at 4
        draws = {
            d.organisation_id: d.sampled for d in actions.survey_month_draw(year=2026, month=4)
        }
        assert draws == {tree["district_a"].pk: 3, tree["district_b"].pk: 4}

    def test_without_an_active_questionnaire_nothing_is_drawn(self, tree):
        q = questionnaire()
        q.active = False
        q.save()
        complaint(tree["district_a"], at(3, 3))
        assert actions.survey_month_draw(year=2026, month=3) == []

    def test_sends_sms_and_mail_with_a_link_without_personal_data_and_freezes(
        self, tree, monkeypatch, django_capture_on_commit_callbacks
    ):
        q = questionnaire()
        made = _tokens(monkeypatch)
        complaint(tree["district_a"], at(3, 3), phone="13812345678", email="a@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            actions.survey_month_draw(year=2026, month=3)
        notices = list(Notice.objects.order_by("channel"))
        assert {n.channel for n in notices} == {"sms", "email"}
        for notice in notices:
            assert f"/hdjl/wj/d/{made[0]}/" in notice.body
            assert "13812345678" not in notice.body and "张三" not in notice.body
            assert notice.status == "sent"  # delivered by the notify machinery
        assert mail.outbox and "满意度回访问卷" in mail.outbox[0].subject
        inv = SurveyInvitation.objects.get()
        assert inv.token_hash == actions.token_hash(made[0]) and made[0] not in inv.token_hash
        q.refresh_from_db()
        assert q.frozen


class TestAnswer:
    @pytest.fixture
    def link(self, tree, monkeypatch):
        q = questionnaire()
        made = _tokens(monkeypatch)
        closed = timezone.now() - timedelta(days=3)
        complaint(tree["district_a"], closed)
        day = timezone.localdate(closed)
        actions.survey_month_draw(year=day.year, month=day.month)
        return made[0], {x.text: x for x in q.questions.all()}

    def test_one_answer_per_link(self, link):
        token, qs = link
        answers = {
            qs["总体满意度"].pk: 4,
            qs["办理次数"].pk: "一次办成",
            qs["哪些方面需要改进"].pk: ["等候时间", "服务态度"],
            qs["其他意见"].pk: "窗口人员很耐心，我的电话13812345678",
        }
        actions.survey_answer_submit(token=token, answers=answers)
        rows = SurveyAnswer.objects.order_by("question__sort_order", "choice")
        assert [(r.score, r.choice) for r in rows][:4] == [
            (4, ""),
            (None, "一次办成"),
            (None, "服务态度"),
            (None, "等候时间"),
        ]
        text = rows.get(question=qs["其他意见"])
        assert text.review_status == ReviewStatus.PENDING and "13812345678" not in text.text
        with pytest.raises(SurveyLinkUsed):
            actions.survey_answer_submit(token=token, answers=answers)
        assert SurveyAnswer.objects.count() == 5

    def test_unknown_and_expired_links(self, link):
        token, qs = link
        with pytest.raises(SurveyLinkUnknown):
            actions.survey_answer_submit(token="x" * 43, answers={})
        with freeze_time(timezone.now() + timedelta(days=31)), pytest.raises(SurveyLinkExpired):
            actions.survey_answer_submit(token=token, answers={qs["总体满意度"].pk: 5})
        assert not SurveyAnswer.objects.exists()

    def test_an_answer_and_a_review_purge_the_published_results(self, link, monkeypatch):
        token, qs = link
        sent = []
        monkeypatch.setattr(actions, "ban_after_commit", lambda bans: sent.append(set(bans)))
        with pytest.raises(SurveyLinkUnknown):
            actions.survey_answer_submit(token="x" * 43, answers={})
        assert sent == []  # nothing changed, nothing purged
        answers = {
            qs["总体满意度"].pk: 5,
            qs["办理次数"].pk: "一次办成",
            qs["哪些方面需要改进"].pk: ["等候时间"],
            qs["其他意见"].pk: "很好",
        }
        actions.survey_answer_submit(token=token, answers=answers)
        results = {Ban("/hdjl/wj/", prefix=False)}
        assert sent == [results]
        text = SurveyAnswer.objects.get(question=qs["其他意见"])
        actions.survey_text_review(answer_id=text.pk, status=ReviewStatus.APPROVED, user=None)
        assert sent == [results, results]

    def test_required_and_unknown_options_are_refused_in_chinese(self, link):
        token, qs = link
        with pytest.raises(ValidationFailed) as exc:
            actions.survey_answer_submit(
                token=token, answers={qs["总体满意度"].pk: 7, qs["办理次数"].pk: "五次"}
            )
        assert exc.value.errors == {
            f"q{qs['总体满意度'].pk}": ["请选择一个满意程度。"],
            f"q{qs['办理次数'].pk}": ["请从列出的选项中选择。"],
        }
        assert SurveyInvitation.objects.get().answered_at is None


def test_a_new_version_copies_the_questions(tree):
    q = questionnaire()
    copy = actions.questionnaire_new_version(questionnaire=q)
    assert copy.version == 2 and not copy.active and not copy.frozen
    assert [x.text for x in copy.questions.all()] == [x.text for x in q.questions.all()]

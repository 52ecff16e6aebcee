from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from portal.surveys import actions
from portal.surveys.models import SurveyAnswer, SurveyInvitation
from tests.factories import org_tree

from .world import complaint, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(monkeypatch):
    tree = org_tree()
    q = questionnaire()
    made = []
    real = actions.secrets.token_urlsafe
    monkeypatch.setattr(
        actions.secrets, "token_urlsafe", lambda n: made.append(real(n)) or made[-1]
    )
    closed = timezone.now() - timedelta(days=2)
    complaint(tree["district_a"], closed)
    day = timezone.localdate(closed)
    actions.survey_month_draw(year=day.year, month=day.month)
    return f"/hdjl/wj/d/{made[0]}/", {x.text: x for x in q.questions.all()}


def _form_token(response) -> str:
    html = response.content.decode()
    start = html.index('name="form_token" value="') + len('name="form_token" value="')
    return html[start : html.index('"', start)]


def test_the_page_shows_the_questions_and_is_never_cached(client, link):
    url, qs = link
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    for text in ("总体满意度", "非常满意", "非常不满意", "一次办成", "其他意见", "黄浦区民政局"):
        assert text in html
    assert "张三" not in html and "13800138000" not in html


def test_an_answer_through_the_page_counts_once_even_if_sent_twice(client, link):
    url, qs = link
    token = _form_token(client.get(url))
    data = {
        "form_token": token,
        f"q{qs['总体满意度'].pk}": "5",
        f"q{qs['办理次数'].pk}": "两次",
        f"q{qs['哪些方面需要改进'].pk}": ["材料要求"],
        f"q{qs['其他意见'].pk}": "很好",
    }
    first = client.post(url, data)
    assert first.status_code == 200 and "问卷已提交" in first.content.decode()
    twin = client.post(url, data)  # the double click: same form token
    assert twin.status_code == 200 and "问卷已提交" in twin.content.decode()
    assert SurveyAnswer.objects.count() == 4
    again = client.get(url)
    assert again.status_code == 409 and "已经提交过" in again.content.decode()


def test_missing_answers_are_named_in_chinese(client, link):
    url, qs = link
    token = _form_token(client.get(url))
    response = client.post(url, {"form_token": token, f"q{qs['总体满意度'].pk}": "5"})
    html = response.content.decode()
    assert response.status_code == 200 and "请回答这道题。" in html and "办理次数" in html
    assert SurveyInvitation.objects.get().answered_at is None


def test_unknown_and_expired_links_say_why(client, link):
    url, _qs = link
    unknown = client.get("/hdjl/wj/d/" + "A" * 43 + "/")
    assert unknown.status_code == 404 and "链接无效" in unknown.content.decode()
    with freeze_time(timezone.now() + timedelta(days=31)):
        expired = client.get(url)
    assert expired.status_code == 410 and "链接已过期" in expired.content.decode()


def test_a_post_without_csrf_is_refused():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/hdjl/wj/d/" + "A" * 43 + "/", {}).status_code == 403


def test_an_answer_link_is_never_cached_nor_public(client, link):
    url, _qs = link
    cache_control = client.get(url)["Cache-Control"]
    assert "no-store" in cache_control and "public" not in cache_control


def test_the_answer_page_costs_the_same_queries_for_any_questionnaire(client, link):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.surveys.models import Question

    url, qs = link
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    questionnaire_id = qs["总体满意度"].questionnaire_id
    Question.objects.bulk_create(
        Question(
            questionnaire_id=questionnaire_id, sort_order=10 + i, kind="scale", text=f"第{i}题"
        )
        for i in range(20)
    )
    with CaptureQueriesContext(connection) as large:
        assert "第19题" in client.get(url).content.decode()
    assert len(small) == len(large)

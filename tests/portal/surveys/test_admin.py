"""满意度问卷 in the admin: Chinese labels, and a sent questionnaire's questions are fixed."""

import re

import pytest
from django.utils import timezone

from portal.surveys.models import Questionnaire
from tests.factories import UserFactory

from .world import questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def _form_data(html: str) -> dict:
    """The edit form's fields as the browser would send them."""
    data = {}
    for m in re.finditer(r"<input[^>]*>", html):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[m.group(1)] = m.group(2).strip()
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(2))
        data[m.group(1)] = selected.group(1) if selected else ""
    return data


def test_the_add_form_is_in_chinese(admin_client):
    html = admin_client.get("/admin/snippets/portal/questionnaire/add/").content.decode()
    for label in (
        "问卷名称",
        "抽样比例（%）",
        "答卷链接有效期（天）",
        "题型",
        "五级满意度",
        "多选",
        "文字意见",
    ):
        assert label in html


def test_a_sent_questionnaire_keeps_its_questions(admin_client):
    q = questionnaire()
    url = f"/admin/snippets/portal/questionnaire/edit/{q.pk}/"
    data = _form_data(admin_client.get(url).content.decode())
    question_text = next(k for k, v in data.items() if v == "总体满意度")
    # before it is sent, a question may change
    data[question_text] = "您对本次办事的总体评价"
    assert admin_client.post(url, data).status_code == 302
    assert q.questions.filter(text="您对本次办事的总体评价").exists()
    Questionnaire.objects.filter(pk=q.pk).update(frozen_at=timezone.now())
    data = _form_data(admin_client.get(url).content.decode())
    data[question_text] = "改过的题目"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "题目、名称和说明不能再修改" in response.content.decode()
    assert not q.questions.filter(text="改过的题目").exists()
    # the sampling settings may still change
    data = _form_data(admin_client.get(url).content.decode())
    data["sample_size"] = "30"
    assert admin_client.post(url, data).status_code == 302
    q.refresh_from_db()
    assert q.sample_size == 30


def test_a_single_choice_needs_options(admin_client):
    q = questionnaire()
    url = f"/admin/snippets/portal/questionnaire/edit/{q.pk}/"
    data = _form_data(admin_client.get(url).content.decode())
    choices = next(k for k, v in data.items() if v.startswith("一次办成"))
    data[choices] = "只有一个"
    response = admin_client.post(url, data)
    assert "至少需要两个选项" in response.content.decode()


def test_copy_as_a_new_version(admin_client):
    q = questionnaire()
    response = admin_client.post(f"/admin/reports/surveys/questionnaires/{q.pk}/new-version/")
    copy = Questionnaire.objects.get(version=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/edit/{copy.pk}/")
    assert copy.questions.count() == 4


def test_a_sent_questionnaire_cannot_be_deleted(admin_client):
    from portal.surveys.models import SurveyDraw
    from tests.factories import org_tree

    q = questionnaire()
    SurveyDraw.objects.create(
        questionnaire=q,
        organisation=org_tree()["district_a"],
        year=2026,
        month=3,
        seed="s",
        population=1,
        no_contact=0,
        sampled=0,
        drawn_at=timezone.now(),
    )
    url = f"/admin/snippets/portal/questionnaire/delete/{q.pk}/"
    for response in (admin_client.get(url), admin_client.post(url)):
        assert response.status_code == 302 and response["Location"].endswith(f"/edit/{q.pk}/")
    assert Questionnaire.objects.filter(pk=q.pk).exists()
    page = admin_client.get(f"/admin/snippets/portal/questionnaire/edit/{q.pk}/").content.decode()
    assert "不能删除" in page
    unsent = questionnaire(active=False)
    admin_client.post(f"/admin/snippets/portal/questionnaire/delete/{unsent.pk}/")
    assert not Questionnaire.objects.filter(pk=unsent.pk).exists()

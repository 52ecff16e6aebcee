import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from portal.idempotency import new_form_token
from services.complaints import actions as complaint_actions
from services.complaints.models import Complaint
from tests.services.case_fixtures import VALID_ID, case_world
from tests.services.complaints.fixtures import complaint_data, replied, submit

pytestmark = pytest.mark.django_db
FORM = "/hdjl/ts/"
REPLIES = "/hdjl/dfgk/"


@pytest.fixture
def world():
    return case_world()


def with_token(data: dict, token: str | None = None) -> dict:
    """The form as a browser sends it: with the one-time token the page gave it."""
    return {**data, "form_token": token or new_form_token()}


class TestForm:
    def test_renders_in_chinese_with_the_choices(self, client, world, settings):
        settings.COMPLAINT_HANDLING_DAYS = 12
        response = client.get(FORM)
        assert response.status_code == 200
        html = response.content.decode()
        assert "我要投诉" in html and "12个工作日内答复" in html
        assert world["guide"].title in html and "黄浦区民政局" in html
        assert 'style="' not in html

    def test_errors_come_back_with_a_summary_linked_to_the_fields(self, client, world):
        data = complaint_data(subject="", complainant_phone="123", category="service_item")
        response = client.post(FORM, with_token(data))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="error-summary"' in html and "3处需要修改" in html
        assert 'href="#id_subject"' in html and 'href="#id_complainant_phone"' in html
        assert 'href="#id_service_item"' in html
        assert "请填写投诉主题。" in html and 'aria-invalid="true"' in html
        assert Complaint.objects.count() == 0

    def test_success_shows_number_and_code_once_never_cached(self, client, world):
        data = complaint_data(service_item=world["guide"].code, category="service_item")
        response = client.post(FORM, with_token(data))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        complaint = Complaint.objects.get()
        html = response.content.decode()
        assert complaint.case_number in html
        code = re.search(r'<dd class="code">([A-Z0-9]{5}-[A-Z0-9]{5})</dd>', html).group(1)
        assert code not in complaint.query_code_hash
        from portal.cases.codes import check_query_code

        assert check_query_code(code, complaint.query_code_hash)
        assert complaint.organisation == world["tree"]["centre_a1"]
        assert complaint.publish_consent is True
        assert complaint.due_date.strftime("%Y年") in html

    def test_publish_consent_is_off_unless_ticked(self, client, world):
        data = complaint_data()
        del data["publish_consent"]
        client.post(FORM, with_token(data))
        assert Complaint.objects.get().publish_consent is False

    def test_the_form_carries_a_one_time_token(self, client, world):
        first = client.get(FORM).context["form_token"]
        second = client.get(FORM).context["form_token"]
        assert first != second and len(first) >= 16
        assert 'name="form_token"' in client.get(FORM).content.decode()

    def test_a_double_click_creates_one_complaint_and_shows_the_same_answer(self, client, world):
        token = client.get(FORM).context["form_token"]
        data = with_token(complaint_data(), token)
        first = client.post(FORM, data)
        second = client.post(FORM, data)
        assert Complaint.objects.count() == 1
        complaint = Complaint.objects.get()
        code = re.compile(r'<dd class="code">([A-Z0-9]{5}-[A-Z0-9]{5})</dd>')
        for response in (first, second):
            html = response.content.decode()
            assert response.status_code == 200 and complaint.case_number in html
        # the second answer is the one the browser shows: it carries the same code
        assert code.search(first.content.decode()).group(1) == code.search(
            second.content.decode()
        ).group(1)
        # and the rate limit counted one submission
        assert (
            complaint_actions.ratelimit.count(complaint_actions.COMPLAINT_SUBMIT_LIMIT, "127.0.0.1")
            == 1
        )

    def test_a_late_resubmission_no_longer_shows_the_code(self, client, world):
        token = new_form_token()
        with freeze_time("2026-11-27 10:00:00+08:00"):
            client.post(FORM, with_token(complaint_data(), token))
        with freeze_time("2026-11-27 10:20:00+08:00"):
            again = client.post(FORM, with_token(complaint_data(), token))
        html = again.content.decode()
        assert Complaint.objects.count() == 1
        assert Complaint.objects.get().case_number in html
        assert 'class="code">' in html and "查询码不再显示" in html
        assert re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", html) is None

    def test_a_form_without_its_token_creates_nothing(self, client, world):
        response = client.post(FORM, complaint_data())
        assert response.status_code == 200
        html = response.content.decode()
        assert "表单已失效，请刷新页面后重新提交。" in html
        assert Complaint.objects.count() == 0
        token = response.context["form_token"]  # a fresh token to submit with
        assert client.post(FORM, with_token(complaint_data(), token)).status_code == 200
        assert Complaint.objects.count() == 1

    def test_needs_csrf(self, world):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(FORM, complaint_data())
        assert response.status_code == 403


class TestReplies:
    def test_only_replied_with_consent_newest_first(self, client, world):
        with freeze_time("2026-10-12 09:00:00+08:00"):
            replied(subject="较早的答复")
        with freeze_time("2026-11-03 09:00:00+08:00"):
            replied(subject="较新的答复")
        replied(subject="不同意公开的投诉", publish_consent=False)
        submit(subject="尚未答复的投诉")
        html = client.get(REPLIES).content.decode()
        assert "不同意公开" not in html and "尚未答复" not in html
        assert html.index("较新的答复") < html.index("较早的答复")
        assert "2026年11月3日" in html and "2026年10月12日" in html
        assert "共2条" in html

    def test_personal_data_is_removed(self, client, world):
        replied(
            complainant_name="王小明",
            complainant_phone="13912345678",
            content=(
                f"本人王小明，身份证号{VALID_ID}，电话13912345678。"
                "小明多次到窗口办理未果，另留家人电话13611112222。"
            ),
            reply=f"王先生：您好！经核查王小明反映的情况属实（证件号{VALID_ID}），"
            "已与您（13912345678）电话沟通。",
        )
        html = client.get(REPLIES).content.decode()
        for secret in ("王小明", "小明", "王先生", VALID_ID, "13912345678", "13611112222"):
            assert secret not in html, secret
        assert "本人×××" in html and "136****2222" in html
        assert "经核查×××反映的情况属实" in html

    @pytest.mark.parametrize("n", [5, 100])
    def test_fixed_number_of_queries(self, client, world, n):
        for i in range(n):
            replied(subject=f"投诉{i}", service_item=world["guide"].code if i % 2 else "")
        client.get(REPLIES)  # warm caches (site, settings)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(REPLIES)
        assert response.status_code == 200
        assert len(ctx.captured_queries) <= 5, [q["sql"] for q in ctx.captured_queries]
        assert response.content.decode().count('class="reply-item"') == min(n, 10)

    def test_paginates(self, client, world):
        for i in range(12):
            replied(subject=f"第{i:02d}件")
        first = client.get(REPLIES).content.decode()
        second = client.get(REPLIES, {"page": 2}).content.decode()
        assert "第1页，共2页" in first and 'rel="next"' in first
        assert second.count('class="reply-item"') == 2
        assert client.get(REPLIES, {"page": "x"}).status_code == 200

"""The online form /xxgk/ysqgk/ (disclosure/requests/views.py, forms.py)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from disclosure.requests.actions import information_request_reply
from disclosure.requests.forms import InformationRequestForm
from disclosure.requests.models import InformationRequest
from portal.privacy import mask_id_number
from tests.disclosure.requests.fixtures import PDF, VALID_ID, act, legal_person, natural_person
from tests.factories import UserFactory, make_home, org_tree

pytestmark = pytest.mark.django_db
FORM = "/xxgk/ysqgk/"


@pytest.fixture
def org():
    make_home()
    return org_tree()["district_a"]


def test_the_form_is_in_chinese_and_csp_clean(client, org):
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert "政府信息公开申请" in html and "统一社会信用代码" in html and "黄浦区民政局" in html
    assert "外滩街道社区事务受理服务中心" not in html  # centres do not answer requests
    assert 'style="' not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline
    assert "disclosure-requests.css" in html
    assert "no-store" in response["Cache-Control"]


def test_required_fields_are_marked_and_errors_link_to_them(client, org):
    html = client.get(FORM).content.decode()
    assert "带 * 的为必填项。" in html
    for label in ("姓名或名称", "联系电话", "所需信息的内容描述", "申请公开的机关"):
        assert f">{label} *</label>" in html, label
    assert "<legend>获取信息的方式 *</legend>" in html
    assert ">文号（选填）</label>" in html and ">电子邮箱</label>" in html
    html = client.post(FORM, {"applicant_type": "natural_person"}).content.decode()
    assert 'class="ysq-error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#id_applicant_name"' in html


def test_form_reports_field_errors_per_applicant_type(org):
    form = InformationRequestForm(legal_person(org, credit_code="123", organisation_kind=""))
    assert not form.is_valid()
    assert set(form.errors) == {"credit_code", "organisation_kind"}
    form = InformationRequestForm(natural_person(org, applicant_id_number="", delivery="post"))
    assert not form.is_valid()
    assert set(form.errors) == {"applicant_id_number"}  # an address is there, so post is fine
    form = InformationRequestForm(natural_person(org, form="", applicant_phone="1"))
    assert set(form.errors) == {"form", "applicant_phone"}
    assert form.errors["form"] == ["请选择信息的指定提供形式。"]


def test_form_check_answers_and_one_time_confirmation(client, org):
    response = client.post(FORM, natural_person(org))
    assert response.status_code == 302 and response["Location"].endswith("/xxgk/ysqgk/confirm/")
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "核对申请信息" in html and "黄浦区民政局" in html and "电子文本" in html
    assert VALID_ID not in html
    assert mask_id_number(VALID_ID) in html
    assert InformationRequest.objects.count() == 0
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    with freeze_time("2026-09-28 10:00:00+08:00"):  # the session's clock must agree
        response = client.post("/xxgk/ysqgk/confirm/", {"form_token": token})
        assert response.status_code == 302
        done = client.get(response["Location"])
    case = InformationRequest.objects.get()
    html = done.content.decode()
    assert "no-store" in done["Cache-Control"]
    assert case.case_number in html and "2026年10月30日" in html and "查询码" in html
    again = client.get(response["Location"])
    assert again.status_code == 410 and case.case_number not in again.content.decode()
    assert client.post("/xxgk/ysqgk/confirm/").status_code == 302  # draft gone: back to form
    assert InformationRequest.objects.count() == 1


def test_invalid_post_rerenders_with_errors(client, org):
    response = client.post(FORM, legal_person(org, credit_code="91350100M000100Y44"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码校验位不正确" in html and "申请信息有误" in html
    assert InformationRequest.objects.count() == 0


def test_back_to_edit_keeps_the_answers(client, org):
    client.post(FORM, legal_person(org))
    html = client.get(FORM).content.decode()
    assert "上海某某律师事务所" in html


def test_reply_page_and_private_files(client, org):
    from disclosure.requests.actions import information_request_submit

    case, code = information_request_submit(**natural_person(org))
    case = information_request_reply(
        act(case, "accept"),
        reply_type="partial",
        letter="经审查，部分信息涉及个人隐私，现提供其余部分。",
        files=[SimpleUploadedFile("统计表.pdf", PDF)],
    )
    item = case.reply_files.get()
    page = f"/xxgk/ysqgk/reply/{case.case_number}/"
    file_url = f"{page}files/{item.pk}/"
    assert client.get(page).status_code == 302  # no access yet
    assert client.get(file_url).status_code == 404
    wrong = client.post("/xxgk/ysqgk/reply/", {"case_number": case.case_number, "query_code": "x"})
    assert wrong.status_code == 422 and "不正确" in wrong.content.decode()
    ok = client.post("/xxgk/ysqgk/reply/", {"case_number": case.case_number, "query_code": code})
    assert ok.status_code == 302 and ok["Location"] == page
    html = client.get(page).content.decode()
    assert "部分信息涉及个人隐私" in html and "部分公开" in html and "统计表.pdf" in html
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # staff of another district may not read it; the bureau's superuser may
    other = UserFactory(username="other", is_staff=True)
    from portal.organisations import StaffProfile

    StaffProfile.objects.create(user=other, organisation=org_tree()["district_b"])
    staff_client = client.__class__()
    staff_client.force_login(other)
    assert staff_client.get(file_url).status_code == 404
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    staff_client.force_login(boss)
    assert staff_client.get(file_url).status_code == 200


def test_reply_lookup_when_rate_limited_says_429_with_retry_after(client, org):
    """A client over the lookup limit is told to wait (429 + Retry-After), not that its code is
    wrong (422), and the answer is never stored."""
    from disclosure.requests.actions import information_request_submit
    from portal.cases.lookup import LOOKUP_LIMIT_PER_CLIENT
    from portal.security import ratelimit

    case, code = information_request_submit(**natural_person(org))
    for _ in range(30):
        ratelimit.hit(LOOKUP_LIMIT_PER_CLIENT, "127.0.0.1")
    limited = client.post(
        "/xxgk/ysqgk/reply/", {"case_number": case.case_number, "query_code": code}
    )
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "no-store" in limited["Cache-Control"]
    assert "不正确" not in limited.content.decode()
    assert "失败次数过多" in limited.content.decode()

"""The citizen's web pages: apply (form → check your answers → confirmation → receipt) and /cx/."""

import logging
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from portal.cases import LOOKUP_LIMIT_PER_CASE
from services import pending
from services.actions import application_act, application_submit
from services.models import Application, ApplicationFile, ApplicationStatus, Rating
from tests.services.case_fixtures import PDF, PNG, VALID_ID, case_world, upload, valid_submission

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def private_files(under: str = "") -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / under
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def apply_url(world):
    return world["guide"].url + "apply/"


def form_data(**overrides):
    data = {
        "applicant_name": "张三",
        "applicant_id_number": VALID_ID,
        "applicant_phone": "13812341234",
        "applicant_address": "上海市黄浦区福州路120号",
        "fields.household_size": "3",
        "fields.reason": "家庭成员因病失去劳动能力",
        "fields.housing": "租赁",
        "material_id_card": upload(),
        "material_income_proof": upload("income.png", PNG, "image/png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit_through(client, apply_url, **overrides):
    """Form → check → submit; returns the response of the submission (a redirect to done/)."""
    response = client.post(apply_url, form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith("apply/check/")
    check = client.get(apply_url + "check/")
    token = check.context["form_token"]
    return post_on_commit(client, apply_url + "check/", {"form_token": token}), token


def post_on_commit(client, url, data):
    """POST and run the on-commit callbacks (the tests' transaction never commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


class TestApplyForm:
    def test_renders_every_field_kind_and_a_file_input_per_material(self, client, apply_url):
        response = client.get(apply_url)
        assert response.status_code == 200
        html = response.content.decode()
        for name in ("applicant_name", "applicant_id_number", "applicant_phone"):
            assert f'name="{name}"' in html
        assert 'name="fields.reason"' in html and "<textarea" in html
        assert 'type="radio" name="fields.housing" value="租赁"' in html
        assert html.count('type="file"') == 3
        assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
        assert "10 MB" in html
        assert "no-store" in response["Cache-Control"]
        assert 'style="' not in html

    def test_404_when_not_open_online_or_not_a_guide(self, client, world):
        guide = world["guide"]
        guide.online_application_open = False
        guide.save_revision().publish()
        assert client.get(guide.url + "apply/").status_code == 404
        assert client.get("/bsfw/apply/").status_code == 404
        assert client.get("/nothing-here/apply/").status_code == 404

    def test_errors_next_to_fields_and_in_a_summary_linking_to_them(self, client, apply_url):
        response = client.post(
            apply_url,
            form_data(
                applicant_id_number="110105194912310021",
                applicant_phone="12345",
                **{"fields.reason": "", "material_id_card": upload("id.pdf", b"MZ\x90\x00exe")},
            ),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="error-summary"' in html
        assert 'href="#f-applicant_id_number"' in html
        assert 'href="#f-fields-reason"' in html
        assert 'href="#f-material_id_card"' in html
        assert "身份证号码校验位不正确" in html
        assert "请填写“申请理由”" in html
        assert "不是有效的 PDF、JPG 或 PNG 文件" in html
        assert 'id="f-applicant_id_number-error"' in html
        assert not Application.objects.exists()

    def test_a_valid_file_is_kept_when_another_field_fails(self, client, apply_url):
        client.post(apply_url, form_data(applicant_phone="bad"))
        # Second try: no files sent again, the kept ones count.
        response = client.post(
            apply_url, form_data(material_id_card=None, material_income_proof=None)
        )
        assert response.status_code == 302
        check = client.get(apply_url + "check/")
        html = check.content.decode()
        assert "id.pdf" in html and "income.png" in html
        assert "核对" in html
        assert not ApplicationFile.objects.exists()
        assert len(private_files("pending")) == 2 and not private_files("applications")

    def test_upload_is_checked_by_content_not_by_name(self, client, apply_url):
        response = client.post(apply_url, form_data(material_id_card=upload("scan.pdf", PNG)))
        assert response.status_code == 302  # a PNG named .pdf is still a PNG: accepted
        response = client.post(
            apply_url, form_data(material_id_card=upload("id.pdf", b"GIF89a......"))
        )
        assert "不是有效的 PDF、JPG 或 PNG 文件" in response.content.decode()


class TestCheckAndSubmit:
    def test_check_step_shows_answers_then_submit_creates_one_case(self, client, apply_url):
        response = client.post(apply_url, form_data())
        check = client.get(apply_url + "check/")
        html = check.content.decode()
        assert "张三" in html and "家庭成员因病失去劳动能力" in html and "income.png" in html
        assert not Application.objects.exists()
        token = check.context["form_token"]
        response = post_on_commit(client, apply_url + "check/", {"form_token": token})
        assert response.status_code == 302 and response["Location"].endswith("apply/done/")
        application = Application.objects.get()
        assert application.files.count() == 2
        assert not private_files("pending")

    def test_double_submission_creates_one_case(self, client, apply_url):
        client.post(apply_url, form_data())
        token = client.get(apply_url + "check/").context["form_token"]
        first = post_on_commit(client, apply_url + "check/", {"form_token": token})
        second = post_on_commit(client, apply_url + "check/", {"form_token": token})  # back
        assert first["Location"] == second["Location"]
        assert Application.objects.count() == 1
        done = client.get(second["Location"])
        assert done.context["application"] == Application.objects.get()

    def test_check_without_a_ready_form_goes_back_to_the_form(self, client, apply_url):
        response = client.get(apply_url + "check/")
        assert response.status_code == 302 and response["Location"].endswith("/apply/")
        response = client.post(apply_url + "check/", {"form_token": "x" * 32})
        assert response.status_code == 302 and not Application.objects.exists()

    def test_failure_at_submission_leaves_no_case_and_no_file(self, client, apply_url, world):
        client.post(apply_url, form_data())
        token = client.get(apply_url + "check/").context["form_token"]
        # The guide closes between the check and the submission.
        guide = world["guide"]
        guide.online_application_open = False
        guide.save_revision().publish()
        response = client.post(apply_url + "check/", {"form_token": token})
        assert response.status_code == 404
        assert not Application.objects.exists() and not private_files("applications")

    def test_confirmation_shows_the_code_once_and_is_never_cached(self, client, apply_url):
        response, _token = submit_through(client, apply_url)
        done = client.get(response["Location"])
        html = done.content.decode()
        application = Application.objects.get()
        code = done.context["query_code"]
        assert code and code in html and application.case_number in html
        assert "no-store" in done["Cache-Control"]
        assert application.due_date.strftime("%Y年%-m月%-d日") in html
        assert "021-63219012" in html and "接下来" in html
        again = client.get(response["Location"]).content.decode()
        assert code not in again and application.case_number in again

    def test_the_query_code_is_in_no_url_and_no_log(self, client, apply_url, caplog):
        caplog.set_level(logging.DEBUG)
        response, _token = submit_through(client, apply_url)
        done = client.get(response["Location"])
        code = done.context["query_code"]
        urls = [response["Location"], done.request["PATH_INFO"]]
        html = done.content.decode()
        assert all(code not in u for u in urls)
        assert f"?{code}" not in html and f"={code}" not in html.replace(f">{code}<", "")
        assert code not in caplog.text and VALID_ID not in caplog.text


class TestReceipt:
    def test_receipt_is_a_post_and_carries_the_code_once(self, client, apply_url):
        response, _token = submit_through(client, apply_url)
        done = client.get(response["Location"])
        code = done.context["query_code"]
        receipt_url = apply_url + "receipt/"
        assert client.get(receipt_url).status_code == 405
        first = client.post(receipt_url)
        assert first["Content-Type"] == "application/pdf"
        assert "no-store" in first["Cache-Control"]
        from tests.services.test_receipt import pdf_text

        assert code in pdf_text(first.content)
        second = client.post(receipt_url)
        assert code not in pdf_text(second.content)
        assert Application.objects.get().case_number in pdf_text(second.content)

    def test_no_receipt_for_another_session(self, client, apply_url, django_user_model):
        from django.test import Client

        submit_through(client, apply_url)
        assert Client().post(apply_url + "receipt/").status_code == 404


class TestPendingCleanup:
    def test_stale_pending_uploads_and_orphans_are_removed(self, client, apply_url, world):
        client.post(apply_url, form_data())
        assert len(private_files("pending")) == 2
        # A recent abandoned form is kept; an old one is removed.
        assert pending.cleanup()["pending"] == 0
        later = timezone.now() + pending.PENDING_MAX_AGE + timedelta(minutes=1)
        assert pending.cleanup(now=later)["pending"] == 2
        assert not private_files("pending")
        # An application file that no record refers to (a rolled-back double submission).
        application, _code = application_submit(**valid_submission(world["guide"]))
        orphan = Path(settings.PRIVATE_MEDIA_ROOT) / "applications" / "orphan.pdf"
        orphan.write_bytes(PDF)
        old = time.time() - 2 * 3600
        os.utime(orphan, (old, old))
        call_command("cleanup_uploads", stdout=open(os.devnull, "w"))  # noqa: SIM115
        assert not orphan.exists()
        for f in application.files.all():
            assert (Path(settings.PRIVATE_MEDIA_ROOT) / f.stored_name).exists()


def lookup(client, number, code, **extra):
    return client.post("/cx/", {"case_number": number, "query_code": code}, **extra)


@pytest.fixture
def submitted(world):
    return application_submit(**valid_submission(world["guide"]))


def act(application, action, **kwargs):
    return application_act(
        application, action=action, actor=None, organisation_ids=None, version=None, **kwargs
    )


class TestLookupPage:
    def test_get_shows_the_form_and_the_nav_links_here(self, client, world):
        response = client.get("/cx/")
        html = response.content.decode()
        assert response.status_code == 200 and 'name="query_code"' in html
        assert 'href="/cx/" aria-current="page"' in html
        assert "no-store" in response["Cache-Control"]

    def test_success_shows_masked_timeline_and_deadline(self, client, submitted):
        application, code = submitted
        response = lookup(client, application.case_number.lower(), code.lower())
        assert response.status_code == 302 and response["Location"] == "/cx/"
        page = client.get("/cx/")
        html = page.content.decode()
        assert application.case_number in html
        assert "张*" in html and "138****1234" in html and "110***********002X" in html
        assert VALID_ID not in html and "13812341234" not in html and "张三" not in html
        assert (
            "提交申请" in html
            and timezone.localtime(application.submitted_at).strftime("%Y年%-m月%-d日 %H:%M")
            in html
        )
        assert application.deadline_explanation in html
        assert "no-store" in page["Cache-Control"]

    def test_unknown_number_and_wrong_code_get_the_same_answer(self, client, submitted):
        application, code = submitted
        from portal.cases import format_case_number

        other = format_case_number("application", timezone.localdate(), 999)
        wrong_code = lookup(client, application.case_number, "AAAAA-AAAAA")
        unknown = lookup(client, other, code)
        assert wrong_code.status_code == unknown.status_code == 404
        assert wrong_code.context["error"] == unknown.context["error"]

    def test_malformed_number_gets_a_specific_error(self, client, submitted):
        application, code = submitted
        typo = application.case_number[:-2] + application.case_number[-1] + "0"
        response = lookup(client, typo, code)
        assert response.status_code == 422
        assert "校验码" in response.context["error"] or "格式" in response.context["error"]
        short = lookup(client, "SQ123", code)
        assert "17位" in short.context["error"]

    def test_rate_limited_after_ten_failures_per_number(self, client, submitted):
        application, code = submitted
        for n in range(LOOKUP_LIMIT_PER_CASE.limit):
            assert lookup(client, application.case_number, "WRONG-CODE").status_code == 404, n
        response = lookup(client, application.case_number, code)
        assert response.status_code == 429
        assert "查询失败次数过多" in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    def test_access_lasts_thirty_minutes(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        with freeze_time(timezone.now() + timedelta(minutes=31)):
            assert "view" not in client.get("/cx/").context

    def test_other_kinds_are_looked_up_through_the_registry(self, client, world):
        # A number of a kind with no model yet is simply "not found", with no crash.
        from portal.cases import format_case_number

        number = format_case_number("complaint", timezone.localdate(), 1)
        assert lookup(client, number, "ABCDE-FGHJK").status_code == 404


class TestFollowUps:
    def test_correction_answer_restarts_the_clock(self, client, submitted):
        application, code = submitted
        with freeze_time("2026-12-01 10:00:00+08:00"):
            act(application, "request_correction", data={"items": ["家庭收入证明原件扫描件"]})
        with freeze_time("2026-12-07 09:00:00+08:00"):
            lookup(client, application.case_number, code)
            page = client.get("/cx/")
            html = page.content.decode()
            assert "家庭收入证明原件扫描件" in html and 'action="/cx/correction/"' in html
            token = page.context["correction_token"]
            body = {"form_token": token, "note": "已补充"}
            response = client.post(
                "/cx/correction/", {**body, "material_income_proof": upload("new.pdf")}
            )
            # a double click carries the same token: one correction, the same answer
            again = client.post(
                "/cx/correction/", {**body, "material_income_proof": upload("new.pdf")}
            )
            assert again.status_code == 302
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        assert str(application.clock_start) == "2026-12-07"
        assert application.files.filter(round=1).count() == 1
        assert "补正材料已提交" in client.get("/cx/").content.decode()

    def test_correction_needs_a_granted_session(self, client, submitted):
        application, _code = submitted
        act(application, "request_correction", data={"items": ["收入证明"]})
        response = client.post("/cx/correction/", {"note": "x"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.CORRECTION_REQUESTED

    def test_rating_once_after_completion(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        assert 'action="/cx/rating/"' not in client.get("/cx/").content.decode()
        application = act(application, "accept")
        act(application, "complete", data={"outcome": "approved", "result": "准予保障"})
        html = client.get("/cx/").content.decode()
        assert "准予保障" in html and "非常满意" in html and 'action="/cx/rating/"' in html
        client.post("/cx/rating/", {"score": "5", "comment": "办理很快"})
        html = client.get("/cx/").content.decode()
        assert 'action="/cx/rating/"' not in html and "办理很快" in html
        again = client.post("/cx/rating/", {"score": "1"})
        assert again.status_code == 409 and "只能评价一次" in again.content.decode()
        assert Rating.objects.get().score == 5

    def test_withdraw_needs_confirmation(self, client, submitted):
        application, code = submitted
        lookup(client, application.case_number, code)
        response = client.post("/cx/withdraw/", {})
        assert response.status_code == 400
        client.post("/cx/withdraw/", {"confirm": "1"})
        application.refresh_from_db()
        assert application.status == S.WITHDRAWN

"""Apply online (services/applications/views.py): form → check your answers → confirmation → receipt."""

import logging
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from portal.uploads import pending
from services.applications.actions import application_submit
from services.models import Application, ApplicationFile, ApplicationStatus
from tests.services.case_fixtures import (
    PDF,
    PNG,
    VALID_ID,
    apply_form_data,
    case_world,
    post_on_commit,
    private_files,
    submit_through,
    upload,
    valid_submission,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def apply_url(world):
    return world["guide"].url + "apply/"


form_data = apply_form_data


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

    def test_a_materials_blank_form_and_sample_are_linked_beside_its_upload(
        self, client, apply_url, world
    ):
        from tests.services.factories import make_document

        material = world["guide"].materials.get(code="income_proof")
        material.blank_form = make_document("收入证明表", "income-form.docx")
        material.sample = make_document("收入证明样本", "income-sample.pdf")
        material.save()
        html = client.get(apply_url).content.decode()
        upload_at = html.index('id="f-material_income_proof"')
        label_at = html.index('for="f-material_income_proof"')
        blank_at = html.index(material.blank_form.url)
        sample_at = html.index(material.sample.url)
        assert label_at < blank_at < sample_at < upload_at
        assert "下载空白表格" in html[label_at:upload_at] and "DOCX" in html[label_at:upload_at]
        assert material.blank_form.url not in html[: html.index('for="f-material_id_card"')]

    def test_breadcrumbs_lead_through_the_services_section(self, client, apply_url, world):
        html = client.get(apply_url).content.decode()
        crumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
        assert f'<a href="{world["bsfw"].url}">办事服务</a>' in crumbs
        assert crumbs.index("首页") < crumbs.index("办事服务") < crumbs.index(world["guide"].title)

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
        response = post_on_commit(
            client, apply_url + "check/", {"form_token": token, "declaration": "1"}
        )
        assert response.status_code == 302 and response["Location"].endswith("apply/done/")
        application = Application.objects.get()
        assert application.files.count() == 2
        assert not private_files("pending")

    def test_double_submission_creates_one_case(self, client, apply_url):
        client.post(apply_url, form_data())
        token = client.get(apply_url + "check/").context["form_token"]
        first = post_on_commit(
            client, apply_url + "check/", {"form_token": token, "declaration": "1"}
        )
        second = post_on_commit(
            client, apply_url + "check/", {"form_token": token, "declaration": "1"}
        )  # back
        assert first["Location"] == second["Location"]
        assert Application.objects.count() == 1
        done = client.get(second["Location"])
        assert done.context["application"] == Application.objects.get()

    def test_submission_needs_the_declaration_of_truthfulness(self, client, apply_url):
        client.post(apply_url, form_data())
        check = client.get(apply_url + "check/")
        assert (
            'name="declaration"' in check.content.decode() and "本人承诺" in check.content.decode()
        )
        token = check.context["form_token"]
        response = post_on_commit(client, apply_url + "check/", {"form_token": token})
        html = response.content.decode()
        assert response.status_code == 200 and not Application.objects.exists()
        assert 'class="error-summary"' in html and 'href="#f-declaration"' in html
        assert "请阅读并勾选承诺后再提交。" in html and 'aria-invalid="true"' in html
        response = post_on_commit(
            client, apply_url + "check/", {"form_token": token, "declaration": "1"}
        )
        assert response.status_code == 302 and Application.objects.count() == 1

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
        response = client.post(apply_url + "check/", {"form_token": token, "declaration": "1"})
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
        from tests.services.applications.test_receipt import pdf_text

        assert code in pdf_text(first.content)
        second = client.post(receipt_url)
        assert code not in pdf_text(second.content)
        assert Application.objects.get().case_number in pdf_text(second.content)

    def test_a_missing_cjk_font_is_no_500_and_does_not_use_up_the_code(
        self, client, apply_url, monkeypatch
    ):
        from services.applications import receipt
        from tests.services.applications.test_receipt import pdf_text, without_cjk_fonts

        response, _token = submit_through(client, apply_url)
        code = client.get(response["Location"]).context["query_code"]
        with without_cjk_fonts(monkeypatch):
            failed = client.post(apply_url + "receipt/")
        assert failed.status_code == 503 and "no-store" in failed["Cache-Control"]
        html = failed.content.decode()
        assert "受理回执暂时无法生成" in html and "查询码仍然保留" in html
        assert Application.objects.get().case_number in html and code not in html
        assert receipt.find_cjk_font() is not None  # the font is back
        retry = client.post(apply_url + "receipt/")
        assert retry["Content-Type"] == "application/pdf" and code in pdf_text(retry.content)
        assert code not in pdf_text(client.post(apply_url + "receipt/").content)

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

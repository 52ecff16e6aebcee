"""Case files through the real URLs: a citizen's upload is refused when it is a polyglot, and a
staff download is named and typed from the detected content, never from the citizen's name."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from services.models import Application
from tests import samples
from tests.portal.cases.staff_fixtures import two_district_world
from tests.services.applications.test_api import URL, body
from tests.services.case_fixtures import case_world, upload

pytestmark = pytest.mark.django_db
RLO = "\u202e"


@pytest.fixture
def world():
    return two_district_world(case_world())


def test_polyglot_upload_is_refused_through_the_api(client, world):
    response = client.post(
        URL, body(material_id_card=upload("申请材料.hta", samples.PDF_HTA_POLYGLOT))
    )
    assert response.status_code == 422
    assert "网页或脚本代码" in response.json()["errors"]["material_id_card"][0]
    assert not Application.objects.exists()


def test_download_is_named_and_typed_by_content(client, world):
    response = client.post(
        URL,
        body(
            material_id_card=upload(f"scan{RLO}fdp.exe", samples.PNG, "application/x-msdownload"),
            material_income_proof=upload("evil.html", samples.PDF, "text/html"),
        ),
    )
    assert response.status_code == 201, response.json()
    case = Application.objects.get(case_number=response.json()["case_number"])
    id_card = case.files.get(material_code="id_card")
    assert id_card.original_name == "scanfdp.exe"  # shown as text, without the override

    client.force_login(world["staff_a"])
    page = client.get(reverse("workbench:case", args=[case.case_number])).content.decode()
    assert "scanfdp.exe" in page and RLO not in page

    download = client.get(reverse("workbench:file", args=["application", id_card.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = f"{case.case_number}-{id_card.material_name}.png"
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert "exe" not in disposition and "scan" not in disposition
    assert b"".join(download.streaming_content) == samples.PNG

    income = case.files.get(material_code="income_proof")
    download = client.get(reverse("workbench:file", args=["application", income.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith(".pdf")
    assert "html" not in download["Content-Disposition"]

"""The rectification case in the organisation's workbench: seen by its handlers (and the
organisations above), never by another district's; 接收整改 then 提交整改报告 closes it; overdue
ones are flagged; the photos come through the workbench's logged download."""

from datetime import date

import pytest
from freezegun import freeze_time

from portal.cases.actions import case_act
from portal.cases.errors import CaseValidationError
from portal.cases.models import CaseAccessLog, CaseEvent

from .fixtures import file_report, photo, supervision_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = supervision_world()
    world["visit"] = file_report(world, findings="窗口人员未一次性告知所需材料。", photos=[photo()])
    world["case"] = world["visit"].rectification
    return world


def test_the_organisations_handlers_see_it_and_others_do_not(client, world):
    case = world["case"]
    client.force_login(world["handler_a"])
    listing = client.get("/admin/workbench/", {"kind": "rectification"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert case.case_number in html
    page = client.get(f"/admin/workbench/{case.case_number}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "窗口人员未一次性告知所需材料。" in body and "接收整改" in body
    assert "supervisor_li" not in body
    client.force_login(world["handler_b"])
    assert case.case_number not in client.get("/admin/workbench/").content.decode()
    assert client.get(f"/admin/workbench/{case.case_number}/").status_code == 404


def test_acknowledge_then_rectify_through_the_workbench(client, world):
    case = world["case"]
    client.force_login(world["handler_a"])
    url = f"/admin/workbench/{case.case_number}/act/"
    with freeze_time("2026-10-09 10:00:00+08:00"):
        response = client.post(url + "acknowledge/", {"acknowledge-version": case.version})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == "rectifying"
        refused = client.post(
            url + "rectify/", {"rectify-version": case.version, "rectify-report": ""}
        )
        assert refused.status_code == 422 and "请填写整改报告" in refused.content.decode()
        done = client.post(
            url + "rectify/",
            {"rectify-version": case.version, "rectify-report": "已对窗口人员开展一次性告知培训。"},
        )
        assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "rectified" and case.is_closed
    assert case.result == "已对窗口人员开展一次性告知培训。"
    assert case.rectified_on == date(2026, 10, 9) and case.rectified_on_time
    actions = list(
        CaseEvent.objects.filter(case_number=case.case_number).values_list("action", flat=True)
    )
    assert actions == ["submit", "acknowledge", "rectify"]


def test_a_late_rectification_is_not_on_time_and_an_open_one_is_overdue(world):
    case = world["case"]
    with freeze_time("2026-10-19 10:00:00+08:00"):
        case.refresh_from_db()
        assert case.overdue  # due 16 October
        with pytest.raises(CaseValidationError):
            case_act(case, action="rectify", data={"report": " "})
        case = case_act(case, action="rectify", data={"report": "已整改。"})
    assert case.rectified_on == date(2026, 10, 19) and not case.rectified_on_time


def test_overdue_cases_are_flagged_in_the_workbench(client, world):
    client.force_login(world["handler_a"])
    with freeze_time("2026-10-19 10:00:00+08:00"):
        response = client.get("/admin/workbench/", {"overdue": "1"})
    assert world["case"].case_number in response.content.decode()


def test_the_photos_are_downloaded_through_the_workbench_and_logged(client, world):
    photo_row = world["visit"].photos.get()
    client.force_login(world["handler_a"])
    response = client.get(f"/admin/workbench/files/rectification/{photo_row.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    entry = CaseAccessLog.objects.get(access="download")
    assert entry.case_number == world["case"].case_number
    client.force_login(world["handler_b"])
    assert client.get(f"/admin/workbench/files/rectification/{photo_row.pk}/").status_code == 404


def test_the_staff_api_lists_and_answers_the_case_without_the_supervisor(client):
    from tests.portal.cases.staff_fixtures import staff_user

    world = supervision_world()
    visit = file_report(world, findings="叫号机故障。", photos=[photo()])
    user = staff_user(world["tree"]["district_a"], "huangpu_api", token=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {user.api_token}"}
    listing = client.get("/api/v1/staff/cases", {"kind": "rectification"}, **auth).json()
    assert [r["case_number"] for r in listing["results"]] == [visit.rectification.case_number]
    answer = client.get(f"/api/v1/staff/cases/{visit.rectification.case_number}", **auth)
    assert answer.status_code == 200
    body = answer.json()
    assert body["kind"] == "rectification" and body["details"]["findings"] == "叫号机故障。"
    assert body["files"][0]["original_name"] == "照片1.png"
    assert "supervisor" not in answer.content.decode()

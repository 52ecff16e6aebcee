"""依申请公开 in the admin's 办件工作台 (disclosure/requests/kind.py): the kind's own action forms, their
Chinese errors, the version check and the organisation scope — through the admin pages."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from disclosure.requests.models import InformationRequest, RequestStatus
from tests.disclosure.requests.fixtures import PDF, act, submit
from tests.factories import org_tree
from tests.portal.cases.staff_fixtures import staff_user

pytestmark = pytest.mark.django_db
S = RequestStatus


@pytest.fixture
def world():
    tree = org_tree()
    with freeze_time("2026-11-26 10:00:00+08:00"):  # Thursday
        request = submit(tree["district_a"])
    return {
        "request": request,
        "staff_a": staff_user(tree["district_a"], "huangpu"),
        "staff_b": staff_user(tree["district_b"], "xuhui"),
    }


def case_url(case):
    return reverse("workbench:case", args=[case.case_number])


def post(client, case, action, data, version=None, files=None):
    body = {f"{action}-{k}": v for k, v in data.items()}
    body[f"{action}-version"] = version if version is not None else case.version
    if files:
        body[f"{action}-files"] = files
    return client.post(reverse("workbench:act", args=[case.case_number, action]), body)


def fresh(case) -> InformationRequest:
    return InformationRequest.objects.get(pk=case.pk)


def test_the_case_page_shows_the_kinds_forms(client, world):
    client.force_login(world["staff_a"])
    with freeze_time("2026-11-27 10:00:00+08:00"):
        html = client.get(case_url(world["request"])).content.decode()
    assert "2025年度本区最低生活保障资金的发放总额及人数" in html  # the request's description
    assert "如需补正，应在2026年12月7日前一次性告知" in html
    for field in ("request_correction-items", "reply-reply_type", "reply-reason", "reply-letter"):
        assert f'name="{field}"' in html, field
    assert 'enctype="multipart/form-data"' in html and 'name="reply-files"' in html
    assert "属于国家秘密" in html  # the grouped reasons
    accepted = act(world["request"], "accept")
    html = client.get(case_url(accepted)).content.decode()
    for field in ("extend-days", "extend-reason", "start_consultation-third_party"):
        assert f'name="{field}"' in html, field


def test_another_organisations_staff_get_404(client, world):
    client.force_login(world["staff_b"])
    request = world["request"]
    assert client.get(case_url(request)).status_code == 404
    response = post(client, request, "request_correction", {"items": "年份"})
    assert response.status_code == 404
    assert fresh(request).status == S.SUBMITTED


def test_request_correction_lists_items_and_keeps_the_window(client, world):
    client.force_login(world["staff_a"])
    request = world["request"]
    with freeze_time("2026-12-08 10:00:00+08:00"):  # the 8th working day after receipt
        late = post(client, request, "request_correction", {"items": "年份"})
    assert late.status_code == 422
    assert "告知补正应在收到申请之日起7个工作日内作出" in late.content.decode()
    with freeze_time("2026-11-30 10:00:00+08:00"):
        empty = post(client, request, "request_correction", {"items": " \n "})
        assert empty.status_code == 422
        assert "请一次性列出需要补正的全部材料或事项" in empty.content.decode()
        done = post(client, request, "request_correction", {"items": "年份\n地区\n年份"})
    assert done.status_code == 302
    request = fresh(request)
    assert request.status == S.CORRECTION_REQUESTED and request.correction_items == ["年份", "地区"]


def test_extend_needs_days_in_range_and_a_reason(client, world):
    client.force_login(world["staff_a"])
    # early enough that 30 working days stay within the years the calendar knows
    with freeze_time("2026-10-15 10:00:00+08:00"):
        request = act(submit(world["request"].organisation), "accept")
        response = post(client, request, "extend", {"days": "21", "reason": ""})
        assert response.status_code == 422
        html = response.content.decode()
        assert (
            "延长期限应为1至20个工作日。" in html and "请填写延期理由，延期须告知申请人。" in html
        )
        response = post(client, request, "extend", {"days": "10", "reason": "需调取档案"})
    assert response.status_code == 302
    request = fresh(request)
    assert request.extension_days == 10 and request.extension_reason == "需调取档案"
    # once only: the handler's rule comes back as a Chinese error on the form
    with freeze_time("2026-10-15 11:00:00+08:00"):
        again = post(client, request, "extend", {"days": "5", "reason": "再延"})
    assert again.status_code == 422 and "答复期限只能延长一次" in again.content.decode()


def test_consultation_is_started_and_ended(client, world):
    client.force_login(world["staff_a"])
    with freeze_time("2026-11-27 10:00:00+08:00"):
        request = act(world["request"], "accept")
        missing = post(client, request, "start_consultation", {"third_party": ""})
        assert missing.status_code == 422 and "请填写征求意见的第三方。" in missing.content.decode()
        post(client, request, "start_consultation", {"third_party": "某养老服务有限公司"})
    request = fresh(request)
    assert request.status == S.CONSULTING
    with freeze_time("2026-12-02 10:00:00+08:00"):
        response = post(client, request, "end_consultation", {"opinion": "不同意公开联系方式"})
    assert response.status_code == 302
    request = fresh(request)
    assert request.status == S.ACCEPTED and request.excluded_days == 3
    assert request.consultations[-1]["opinion"] == "不同意公开联系方式"


def test_reply_checks_type_and_reason_and_stores_files(client, world):
    client.force_login(world["staff_a"])
    request = world["request"]
    response = post(
        client, request, "reply", {"reply_type": "withhold", "reason": "", "letter": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "“不予公开”须选择以下理由之一" in html and "请填写答复书内容。" in html
    response = post(
        client,
        request,
        "reply",
        {"reply_type": "disclose", "reason": "state_secret", "letter": "x"},
    )
    assert response.status_code == 422 and "“予以公开”不需要选择理由。" in response.content.decode()
    bad_file = SimpleUploadedFile("fake.pdf", b"not a pdf", content_type="application/pdf")
    response = post(
        client,
        request,
        "reply",
        {"reply_type": "disclose", "letter": "现予公开。"},
        files=[bad_file],
    )
    assert response.status_code == 422 and fresh(request).status == S.SUBMITTED
    files = [
        SimpleUploadedFile("答复书.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("附件.pdf", PDF, content_type="application/pdf"),
    ]
    response = post(
        client,
        request,
        "reply",
        {"reply_type": "unable", "reason": "not_held", "letter": "经检索，本机关不掌握。"},
        files=files,
    )
    assert response.status_code == 302
    request = fresh(request)
    assert request.status == S.REPLIED and request.reply_summary.startswith("无法提供")
    assert request.reply_files.count() == 2
    html = client.get(case_url(request)).content.decode()
    item = request.reply_files.first()
    file_url = reverse("workbench:file", args=["disclosure_request", item.pk])
    assert file_url in html and "经检索，本机关不掌握。" in html
    assert client.get(file_url).status_code == 200
    client.force_login(world["staff_b"])
    assert client.get(file_url).status_code == 404


def test_a_stale_version_is_refused(client, world):
    client.force_login(world["staff_a"])
    request = world["request"]
    old_version = request.version
    act(request, "accept")
    response = post(
        client,
        request,
        "reply",
        {"reply_type": "disclose", "letter": "现予公开。"},
        version=old_version,
    )
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()
    assert fresh(request).status == S.ACCEPTED


def test_the_staff_api_shows_the_request_details(client, world):
    from portal.cases.kinds import workbench_kind
    from portal.cases.staff_api import _case_out

    request = world["request"]
    out = _case_out(request, workbench_kind(request.KIND))
    assert out["details"]["description"] == request.description
    assert out["details"]["received_on"] == date(2026, 11, 26).isoformat()
    assert out["files"] == []


def test_the_staff_api_takes_the_kinds_action_data(client):
    tree = org_tree()
    staff = staff_user(tree["district_a"], "huangpu_api", token=True)
    with freeze_time("2026-10-15 10:00:00+08:00"):
        request = act(submit(tree["district_a"]), "accept")
        url = f"/api/v1/staff/cases/{request.case_number}/actions"
        auth = {"HTTP_AUTHORIZATION": f"Bearer {staff.api_token}"}
        body = {"action": "extend", "version": request.version, "days": 30, "reason": "调档"}
        refused = client.post(url, body, content_type="application/json", **auth)
        assert refused.status_code == 422
        assert "延长期限应为1至20个工作日。" in refused.json()["errors"]["days"]
        body["days"] = 10
        answer = client.post(url, body, content_type="application/json", **auth)
    assert answer.status_code == 200, answer.content
    assert fresh(request).extension_days == 10
    body = {
        "action": "reply",
        "version": answer.json()["version"],
        "reply_type": "withhold",
        "reason": "state_secret",
        "letter": "经审查，属于国家秘密，不予公开。",
    }
    replied = client.post(url, body, content_type="application/json", **auth)
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    assert fresh(request).reply_summary == "不予公开（属于国家秘密）"

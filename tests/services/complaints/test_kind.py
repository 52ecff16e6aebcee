"""监督投诉 in the admin's 办件工作台 (services/complaints/kind.py): 受理, 办理 (internal), 答复
(with the publish consent and the redacted preview) and 不予受理 with a reason; Chinese errors,
the version check and the organisation scope."""

import pytest
from django.urls import reverse

from portal.cases.models import CaseEvent
from services.complaints.models import Complaint, ComplaintStatus
from tests.factories import org_tree
from tests.portal.cases.staff_fixtures import staff_user
from tests.services.complaints.fixtures import advance, submit

pytestmark = pytest.mark.django_db
S = ComplaintStatus


@pytest.fixture
def world():
    tree = org_tree()
    return {
        "complaint": submit(
            organisation=tree["district_a"].code,
            content="王小明于9月28日在窗口被告知改天再来，请回电13912345678。",
        ),
        "staff_a": staff_user(tree["district_a"], "huangpu"),
        "staff_b": staff_user(tree["district_b"], "xuhui"),
    }


def case_url(case):
    return reverse("workbench:case", args=[case.case_number])


def post(client, case, action, data, version=None):
    body = {f"{action}-{k}": v for k, v in data.items()}
    body[f"{action}-version"] = version if version is not None else case.version
    return client.post(reverse("workbench:act", args=[case.case_number, action]), body)


def fresh(case) -> Complaint:
    return Complaint.objects.get(pk=case.pk)


def test_case_page_shows_the_complaint_consent_and_redacted_preview(client, world):
    client.force_login(world["staff_a"])
    html = client.get(case_url(world["complaint"])).content.decode()
    assert "窗口办理低保时态度生硬" in html and "投诉人同意在隐去个人信息后公开答复" in html
    preview = html.split('data-testid="published-preview"')[1].split("</dl>")[0]
    assert "王小明" not in preview and "13912345678" not in preview
    assert 'name="reject-reason"' in html and "投诉事项不明确" in html
    assert 'name="acknowledge-note"' in html


def test_another_organisations_staff_get_404(client, world):
    client.force_login(world["staff_b"])
    complaint = world["complaint"]
    assert client.get(case_url(complaint)).status_code == 404
    assert post(client, complaint, "acknowledge", {}).status_code == 404
    assert fresh(complaint).status == S.SUBMITTED


def test_acknowledge_handle_and_reply(client, world):
    client.force_login(world["staff_a"])
    complaint = world["complaint"]
    assert post(client, complaint, "acknowledge", {"note": "已受理"}).status_code == 302
    complaint = fresh(complaint)
    html = client.get(case_url(complaint)).content.decode()
    assert 'name="handle-note"' in html and 'name="reply-reply"' in html
    assert 'name="reply-note"' not in html  # the reply itself is what the complainant reads
    missing = post(client, complaint, "handle", {"note": ""})
    assert missing.status_code == 422 and "请填写办理情况（内部记录）。" in missing.content.decode()
    assert post(client, complaint, "handle", {"note": "已调取监控"}).status_code == 302
    complaint = fresh(complaint)
    event = CaseEvent.objects.filter(case_number=complaint.case_number, action="handle").get()
    assert event.public is False
    empty = post(client, complaint, "reply", {"reply": "  "})
    assert empty.status_code == 422 and "请填写答复内容。" in empty.content.decode()
    response = post(client, complaint, "reply", {"reply": "经核查，已对王小明反映的问题整改。"})
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert (
        complaint.status == S.REPLIED and complaint.result == "经核查，已对王小明反映的问题整改。"
    )
    html = client.get(case_url(complaint)).content.decode()
    preview = html.split('data-testid="published-preview"')[1].split("</dl>")[0]
    assert "已对" in preview and "王小明" not in preview


def test_reject_needs_a_reason_and_an_explanation(client, world):
    client.force_login(world["staff_a"])
    complaint = world["complaint"]
    response = post(client, complaint, "reject", {"reason": "bogus", "note": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请从列表中选择不予受理原因。" in html and "请填写不予受理的理由。" in html
    response = post(client, complaint, "reject", {"reason": "duplicate", "note": "已于10月答复"})
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == S.REJECTED and complaint.reject_reason == "duplicate"
    assert complaint.result == "重复投诉：已于10月答复"


def test_a_stale_version_is_refused(client, world):
    client.force_login(world["staff_a"])
    complaint = world["complaint"]
    old = complaint.version
    advance(complaint, ("acknowledge", "", {}))
    response = post(client, complaint, "reject", {"reason": "unclear", "note": "x"}, version=old)
    assert response.status_code == 409 and "已被他人处理" in response.content.decode()
    assert fresh(complaint).status == S.ACKNOWLEDGED


def test_without_consent_no_preview(client, world):
    client.force_login(world["staff_a"])
    complaint = submit(organisation=world["complaint"].organisation.code, publish_consent=False)
    html = client.get(case_url(complaint)).content.decode()
    assert "投诉人不同意公开" in html and 'data-testid="published-preview"' not in html

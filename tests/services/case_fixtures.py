"""Small worlds for the case loop: a home page, an organisation tree and one guide open online."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from services.models import GuideFormField, ServiceGuidePage, ServiceMaterial
from tests import samples
from tests.factories import add_standard_page, make_home, org_tree

VALID_ID = "11010519491231002X"
PDF = samples.PDF
PNG = samples.PNG


def make_guide(
    parent,
    organisation,
    *,
    code="310100-MZ-001",
    title="最低生活保障申请",
    online=True,
    promised=10,
    statutory=20,
) -> ServiceGuidePage:
    guide = ServiceGuidePage(
        title=title,
        slug=code.lower(),
        code=code,
        organisation=organisation,
        statutory_limit_days=statutory,
        promised_limit_days=promised,
        online_application_open=online,
        consult_phone="021-63219012",
    )
    guide.materials = [
        ServiceMaterial(code="id_card", name="申请人身份证", required=True),
        ServiceMaterial(code="income_proof", name="家庭收入证明", required=True),
        ServiceMaterial(code="other", name="其他证明材料", required=False),
    ]
    guide.form_fields = [
        GuideFormField(
            key="household_size", label="家庭人口数", field_type="number", required=True
        ),
        GuideFormField(
            key="reason", label="申请理由", field_type="textarea", required=True, max_length=300
        ),
        GuideFormField(
            key="housing",
            label="住房情况",
            field_type="choice",
            required=False,
            choices="自有|租赁|其他",
        ),
    ]
    parent.add_child(instance=guide)
    guide.save_revision().publish()
    return guide


def case_world():
    home = make_home()
    tree = org_tree()
    bsfw = add_standard_page(home, "办事服务", "bsfw")
    guide = make_guide(bsfw, tree["centre_a1"])
    return {"home": home, "tree": tree, "bsfw": bsfw, "guide": guide}


def upload(name="id.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def valid_submission(guide, **overrides) -> dict:
    data = {
        "service": guide,
        "applicant_name": "张三",
        "applicant_id_number": VALID_ID,
        "applicant_phone": "13812341234",
        "applicant_address": "上海市黄浦区福州路120号",
        "fields": {"household_size": "3", "reason": "家庭成员因病失去劳动能力", "housing": "租赁"},
        "files": {"id_card": upload(), "income_proof": upload("income.png", PNG, "image/png")},
    }
    data.update(overrides)
    return data


def bytes_io(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


# The apply flow through the web form (tests of the apply views and of /cx/ share it).


def private_files(under: str = "") -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / under
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def apply_form_data(**overrides):
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
    response = client.post(apply_url, apply_form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith("apply/check/")
    check = client.get(apply_url + "check/")
    token = check.context["form_token"]
    return post_on_commit(
        client, apply_url + "check/", {"form_token": token, "declaration": "1"}
    ), token


def post_on_commit(client, url, data):
    """POST and run the on-commit callbacks (the tests' transaction never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def act(case, action, **kwargs):
    """A staff action with no actor and no organisation scope (the machinery's own checks apart)."""
    from portal.cases.actions import case_act

    kwargs.setdefault("actor", None)
    kwargs.setdefault("organisation_ids", None)
    kwargs.setdefault("version", None)
    return case_act(case, action=action, **kwargs)

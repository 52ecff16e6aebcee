from django.test import TestCase

from tests.factories import OrganisationFactory, make_home, org_tree
from tests.services.factories import (
    add_centre,
    add_centre_index,
    add_fee_standard,
    add_guide,
    add_service_index,
)


def build_world() -> dict:
    """A home page, an organisation tree, /bsfw/ with a fee standard, three guides and a centre."""
    orgs = org_tree()
    orgs["unit"] = OrganisationFactory(
        code="000014351", name="上海市殡葬服务中心", kind="unit", parent=orgs["bureau"]
    )
    home = make_home()
    index = add_service_index(home)
    fees = add_fee_standard(index, organisation=orgs["unit"])
    marriage = add_guide(
        index,
        organisation=orgs["bureau"],
        title="内地居民结婚登记",
        code="HY-0001",
        topic="marriage",
        item_type="confirmation",
        case_type="instant",
        statutory_limit_days=0,
        promised_limit_days=0,
        summary="男女双方自愿结婚",
    )
    cremation = add_guide(
        index,
        organisation=orgs["unit"],
        title="遗体火化",
        code="BZ-0002",
        topic="funeral",
        item_type="public_service",
        fee_items=list(fees.items.all()),
    )
    dibao = add_guide(
        index,
        organisation=orgs["district_a"],
        title="最低生活保障",
        code="JZ-0001",
        topic="assistance",
        item_type="benefit",
        online_application_open=True,
        online_depth=3,
        statutory_limit_days=30,
        promised_limit_days=20,
        materials=[
            {"code": "id_card", "name": "居民身份证", "kind": "original_and_copy"},
            {"code": "income_proof", "name": "收入证明", "required": False},
        ],
        form_fields=[
            {"key": "family_size", "label": "家庭人口", "field_type": "number"},
            {"key": "reason", "label": "申请理由", "field_type": "textarea"},
        ],
    )
    centre_index = add_centre_index(index)
    centre = add_centre(
        centre_index,
        district="黄浦区",
        title="外滩街道社区事务受理服务中心",
        service_items=[dibao],
        organisation=orgs["centre_a1"],
    )
    return {
        "orgs": orgs,
        "home": home,
        "index": index,
        "fees": fees,
        "marriage": marriage,
        "cremation": cremation,
        "dibao": dibao,
        "centre_index": centre_index,
        "centre": centre,
    }


class WorldTestCase(TestCase):
    """A TestCase whose class shares one small world (built once, rolled back after the class)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

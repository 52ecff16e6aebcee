import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from services.models import (
    FeeItem,
    FeeStandardPage,
    ServiceCentreIndexPage,
    ServiceCentrePage,
    ServiceCommitment,
    ServiceCommitmentPage,
    ServiceGuidePage,
    ServiceIndexPage,
)
from tests.services.factories import add_guide
from tests.services.world import WorldTestCase


def _guide(world, **fields):
    values = {
        "title": "测试",
        "slug": "t",
        "code": "T-0001",
        "organisation": world["orgs"]["bureau"],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
    }
    values.update(fields)
    return ServiceGuidePage(**values)


TREE = ["path", "depth"]  # set by the page tree on add_child


def _errors(page) -> dict:
    with pytest.raises(ValidationError) as info:
        page.full_clean(exclude=TREE)
    return info.value.message_dict


class GuideModelTests(WorldTestCase):
    def test_a_valid_guide_passes(self):
        _guide(self.w).full_clean(exclude=TREE)

    def test_promised_limit_may_not_exceed_statutory(self):
        errors = _errors(_guide(self.w, promised_limit_days=21))
        assert errors["promised_limit_days"] == ["承诺办结时限不能超过法定办结时限。"]

    def test_instant_case_must_be_done_on_the_spot(self):
        errors = _errors(_guide(self.w, case_type="instant", promised_limit_days=3))
        assert "即办件" in errors["case_type"][0]
        _guide(self.w, case_type="instant", promised_limit_days=0).full_clean(exclude=TREE)

    def test_full_online_depth_needs_online_application(self):
        errors = _errors(_guide(self.w, online_depth=4, visits_required=0))
        assert errors["online_depth"] == ["全程网上办理的事项必须开放网上申请。"]
        _guide(self.w, online_depth=4, visits_required=0, online_application_open=True).full_clean(
            exclude=TREE
        )

    def test_zero_visits_needs_full_online_depth(self):
        errors = _errors(_guide(self.w, visits_required=0, online_depth=3))
        assert "到现场次数为0" in errors["visits_required"][0]

    def test_fees_and_free_flag_agree(self):
        item = self.w["fees"].items.first()
        free_with_fee = _guide(self.w)
        free_with_fee.fee_items = [item]
        assert _errors(free_with_fee)["fee_items"] == ["不收费的事项不能关联收费项目。"]
        charged_without_fee = _guide(self.w, is_free=False)
        assert _errors(charged_without_fee)["fee_items"] == ["收费事项请关联至少一个收费项目。"]
        charged = _guide(self.w, is_free=False)
        charged.fee_items = [item]
        charged.full_clean(exclude=TREE)

    def test_code_is_unique_and_well_formed(self):
        errors = _errors(_guide(self.w, code="JZ-0001"))
        assert "code" in errors
        assert "code" in _errors(_guide(self.w, code="不合法 编码"))

    def test_apply_url_only_when_online_application_is_open(self):
        assert self.w["dibao"].apply_url == self.w["dibao"].url + "apply/"
        assert self.w["marriage"].apply_url is None

    def test_fee_summary_lists_linked_items_or_free(self):
        assert self.w["marriage"].fee_summary() == "不收费"
        assert self.w["cremation"].fee_summary() == "遗体接运费 300.00元/具；遗体火化费 460.00元/具"

    def test_fee_amounts_are_decimals_and_never_negative(self):
        item = self.w["fees"].items.get(code="cremation")
        assert item.amount == Decimal("460.00")
        item.amount = Decimal("-1")
        with pytest.raises(ValidationError):
            item.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            FeeItem.objects.filter(pk=item.pk).update(amount=Decimal("-1"))

    def test_fee_item_label_marks_guided_prices(self):
        item = FeeItem(
            name="告别厅",
            unit="场",
            amount=Decimal("300"),
            fee_type="government_guided",
            legal_basis="x",
            approval_number="y",
            effective_date=datetime.date(2020, 1, 1),
        )
        assert item.label == "告别厅 300元/场（政府指导价）"

    def test_commitment_limit_must_belong_to_an_item_and_respect_its_statutory_limit(self):
        dibao = self.w["dibao"]
        with pytest.raises(ValidationError) as info:
            ServiceCommitment(title="t", content="c", promised_limit_days=5).full_clean(
                exclude=["page"]
            )
        assert info.value.message_dict["service_item"] == ["承诺时限必须对应具体的办事事项。"]
        with pytest.raises(ValidationError) as info:
            ServiceCommitment(
                title="t", content="c", service_item=dibao, promised_limit_days=31
            ).full_clean(exclude=["page"])
        assert "30个工作日" in info.value.message_dict["promised_limit_days"][0]
        with pytest.raises(ValidationError):
            ServiceCommitment(title="t", content="c", service_item=dibao).full_clean(
                exclude=["page"]
            )
        ServiceCommitment(
            title="t", content="c", service_item=dibao, promised_limit_days=20
        ).full_clean(exclude=["page"])
        ServiceCommitment(title="一次告知", content="c").full_clean(exclude=["page"])

    def test_page_tree_rules(self):
        index = self.w["index"]
        assert ServiceIndexPage.can_create_at(self.w["home"])
        for page_class in (
            ServiceGuidePage,
            FeeStandardPage,
            ServiceCommitmentPage,
            ServiceCentreIndexPage,
        ):
            assert page_class.can_create_at(index), page_class
            assert not page_class.can_create_at(self.w["home"]), page_class
        assert ServiceCentrePage.can_create_at(self.w["centre_index"])
        assert not ServiceCentrePage.can_create_at(index)
        assert ServiceGuidePage.allowed_subpage_models() == []

    def test_core_fields_used_by_the_case_loop_stay_stable(self):
        """The online application (issue 5) relies on these names."""
        guide = add_guide(self.w["index"], organisation=self.w["orgs"]["bureau"])
        assert [m.code for m in guide.materials.all()] == ["id_card"]
        assert list(guide.form_fields.all()) == []
        for name in (
            "code",
            "organisation",
            "statutory_limit_days",
            "promised_limit_days",
            "online_application_open",
            "consult_phone",
            "complaint_phone",
        ):
            ServiceGuidePage._meta.get_field(name)

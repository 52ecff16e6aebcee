import pytest
from django.core.exceptions import ValidationError

from portal.organisations import Organisation, OrganisationKind, subtree_ids
from tests.factories import OrganisationFactory, org_tree

pytestmark = pytest.mark.django_db


def test_subtree_contains_the_organisation_and_everything_below_it():
    tree = org_tree()
    ids = subtree_ids(tree["district_a"])
    assert ids == {tree["district_a"].pk, tree["street_a1"].pk, tree["centre_a1"].pk}
    assert tree["district_b"].pk not in ids
    assert subtree_ids(tree["bureau"]) == set(Organisation.objects.values_list("pk", flat=True))


def test_subtree_is_one_query(django_assert_num_queries):
    tree = org_tree()
    with django_assert_num_queries(1):
        subtree_ids(tree["bureau"])


def test_a_district_must_sit_under_the_bureau():
    tree = org_tree()
    orphan = Organisation(code="0099", name="无上级区局", kind=OrganisationKind.DISTRICT)
    with pytest.raises(ValidationError) as exc:
        orphan.full_clean()
    assert "必须有上级机构" in str(exc.value)
    wrong = Organisation(
        code="0098", name="街道下的区局", kind=OrganisationKind.DISTRICT, parent=tree["street_a1"]
    )
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    assert "不能设在" in str(exc.value)


def test_codes_are_validated_and_unique():
    OrganisationFactory(code="000014349")
    with pytest.raises(ValidationError) as exc:
        Organisation(code="abc", name="x", kind=OrganisationKind.BUREAU).full_clean()
    assert "机构代码" in str(exc.value)
    with pytest.raises(ValidationError):
        Organisation(code="000014349", name="重复", kind=OrganisationKind.BUREAU).full_clean()


def test_ancestors_are_listed_top_down():
    tree = org_tree()
    assert tree["centre_a1"].ancestors() == [tree["bureau"], tree["district_a"], tree["street_a1"]]


def test_api_lists_organisations_with_their_parent_codes(client, django_assert_max_num_queries):
    tree = org_tree()
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    data = {row["code"]: row for row in response.json()}
    assert set(data) == {o.code for o in tree.values()}
    assert data["002479101"]["parent"] == "002479001"
    assert data["002479101"]["kind_label"] == "街道（镇）"
    assert data["000014349"]["parent"] is None


def test_api_filters_by_kind_and_parent(client):
    org_tree()
    districts = client.get("/api/v1/organisations", {"kind": "district"}).json()
    assert [o["code"] for o in districts] == ["002479001", "002482001"]
    under = client.get("/api/v1/organisations", {"parent": "002479001"}).json()
    assert [o["code"] for o in under] == ["002479101"]


def test_api_list_costs_the_same_for_many_organisations(client, django_assert_max_num_queries):
    tree = org_tree()
    for n in range(60):
        OrganisationFactory(
            code=f"77{n:04d}", kind=OrganisationKind.STREET, parent=tree["district_b"]
        )
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/organisations").json()) == 65


def test_the_disclosure_role_follows_the_kind_and_reporting_ids_stop_at_organs():
    """Bureau, district bureaus and street offices are 行政机关 that report on their own; centres
    and window units belong to the organ above. An organ's reporting ids are itself and the units
    reached through units only."""
    from portal.organisations import DisclosureRole, reporting_ids, reporting_organ
    from tests.factories import OrganisationFactory, org_tree

    tree = org_tree()
    unit = OrganisationFactory(
        code="000014352", name="社会团体管理局", kind="unit", parent=tree["bureau"]
    )
    district_unit = OrganisationFactory(
        code="002479301", name="黄浦区救助窗口", kind="unit", parent=tree["district_a"]
    )
    roles = {key: org.disclosure_role for key, org in tree.items()}
    assert roles == {
        "bureau": DisclosureRole.ORGAN,
        "district_a": DisclosureRole.ORGAN,
        "street_a1": DisclosureRole.ORGAN,
        "centre_a1": DisclosureRole.UNIT,
        "district_b": DisclosureRole.ORGAN,
    }
    assert unit.disclosure_role == DisclosureRole.UNIT
    assert reporting_ids(tree["bureau"]) == {tree["bureau"].pk, unit.pk}
    assert reporting_ids(tree["district_a"]) == {tree["district_a"].pk, district_unit.pk}
    assert reporting_ids(tree["street_a1"]) == {tree["street_a1"].pk, tree["centre_a1"].pk}
    assert reporting_organ(tree["centre_a1"]) == tree["street_a1"]
    assert reporting_organ(unit) == tree["bureau"]
    # a window unit set to report as an organ of its own counts itself, and leaves the bureau's
    unit.disclosure_role = DisclosureRole.ORGAN
    unit.save()
    assert reporting_ids(tree["bureau"]) == {tree["bureau"].pk}


def test_a_unit_needs_an_organ_above_it():
    from django.core.exceptions import ValidationError

    from portal.organisations import DisclosureRole
    from tests.factories import OrganisationFactory

    bureau = OrganisationFactory(code="000099999", kind="bureau")
    bureau.disclosure_role = DisclosureRole.UNIT
    with pytest.raises(ValidationError) as exc:
        bureau.clean()
    assert "所属单位必须有上级机构" in str(exc.value)

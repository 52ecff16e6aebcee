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

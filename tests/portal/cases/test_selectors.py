from datetime import timedelta

import pytest
from django.utils import timezone

from portal.cases import selectors as case_selectors
from portal.cases.kinds import workbench_kind
from portal.cases.selectors import staff_case_page, staff_scope
from services.models import Application
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import submit
from tests.services.case_fixtures import case_world

pytestmark = pytest.mark.django_db


def test_scope_of_staff_superuser_and_others():
    world = case_world()
    tree = world["tree"]
    from tests.portal.cases.staff_fixtures import staff_user

    staff = staff_user(tree["district_a"], "a")
    assert staff_scope(staff) == {
        tree["district_a"].pk,
        tree["street_a1"].pk,
        tree["centre_a1"].pk,
    }
    assert staff_scope(UserFactory(username="root", is_superuser=True)) is None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        staff_scope(UserFactory(username="nobody"))


def test_several_kinds_are_merged_in_one_ordered_page(monkeypatch, django_assert_num_queries):
    """The list is a UNION over the kinds' tables. Until the other kinds exist, register the
    application table twice under two kinds to exercise the union on this database."""
    world = case_world()
    late, soon, closed = (submit(world["guide"]) for _ in range(3))
    today = timezone.localdate()
    Application.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=3))
    Application.objects.filter(pk=soon.pk).update(due_date=today + timedelta(days=1))
    Application.objects.filter(pk=closed.pk).update(
        status="completed", due_date=today - timedelta(days=9)
    )
    wk = workbench_kind("application")
    monkeypatch.setattr(
        case_selectors,
        "_kinds",
        lambda: {"application": (Application, wk), "complaint": (Application, wk)},
    )
    # count + keys + one load per kind on the page
    with django_assert_num_queries(4):
        listing = staff_case_page(organisation_ids=None, params={}, per_page=4)
    assert listing.page.paginator.count == 6
    assert [c.pk for c in listing.cases] == [late.pk, late.pk, soon.pk, soon.pk]
    second = staff_case_page(organisation_ids=None, params={}, page=2, per_page=4)
    assert [c.pk for c in second.cases] == [closed.pk, closed.pk]
    overdue = staff_case_page(organisation_ids=None, params={"overdue": "true"})
    assert [c.pk for c in overdue.cases] == [late.pk, late.pk]

"""The admin list of reports costs the same queries at 5 and 500 reports (page, count, and the
rendering of every row with its centre and case)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.supervision.models import SupervisionVisit
from services.supervision.selectors import visit_report_detail, visit_report_page

from .fixtures import bulk_reports, supervision_world

pytestmark = pytest.mark.django_db


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/admin/mcaf/")
        assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page_obj"])


def test_the_report_list_costs_the_same_at_5_and_500(client, django_assert_num_queries):
    world = supervision_world()
    client.force_login(world["sup1"])
    bulk_reports(world, 5)
    world["sup1"].has_perm("services.review_visit_report")  # the user's permissions, once
    world["sup2"].has_perm("services.review_visit_report")
    with django_assert_num_queries(2):
        assert len(list(visit_report_page(user=world["sup1"]))) == 5
    list_queries(client)
    small, rows = list_queries(client)
    assert rows == 5
    bulk_reports(world, 495)
    with django_assert_num_queries(2):
        assert len(list(visit_report_page(user=world["sup1"]))) == 30
    large, rows = list_queries(client)
    assert rows == 30 and large == small
    # and the other supervisor sees none of them
    with django_assert_num_queries(1):
        assert list(visit_report_page(user=world["sup2"])) == []


def test_one_report_is_two_queries(django_assert_num_queries):
    world = supervision_world()
    bulk_reports(world, 3)
    pk = SupervisionVisit.objects.filter(has_findings=True).values_list("pk", flat=True)[0]
    world["sup1"].has_perm("services.review_visit_report")
    with django_assert_num_queries(2):
        visit = visit_report_detail(user=world["sup1"], pk=pk)
        assert list(visit.photos.all()) == []
        assert visit.rectification.case_number.startswith("ZG")

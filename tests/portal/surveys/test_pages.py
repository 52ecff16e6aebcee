"""The public results page and the admin report and review."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.surveys.models import ReviewStatus, SurveyAnswer
from tests.factories import StaffProfileFactory, UserFactory

from .test_selectors import world  # noqa: F401 - the hand-counted world

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_figures_with_small_number_protection(client, world):  # noqa: F811
    response = client.get("/hdjl/wj/?year=2026&month=3")
    html = response.content.decode()
    assert response.status_code == 200
    assert "满意度调查结果" in html and "2026年3月" in html
    assert "54.5%" in html and "66.7%" in html  # city: 6 of 11 answered, 4 of 6 satisfied
    assert "62.5%" in html and "80.0%" in html  # 黄浦区
    assert "样本不足" in html  # 徐汇区: 3 sampled
    assert "窗口很好" in html and "待审" not in html and "不宜" not in html
    assert "TS0" not in html  # no case numbers


def test_the_public_page_costs_the_same_queries_whatever_the_period(client, world):  # noqa: F811
    counts = []
    for url in ("/hdjl/wj/?year=2026&month=3", "/hdjl/wj/?year=2026", "/hdjl/wj/?year=2025"):
        client.get(url)  # warm the site's own caches (settings, navigation)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    # the survey's 5 and its years, plus what the site's layout costs (never a cached answer)
    assert counts[0] == counts[1] == counts[2] and 6 <= counts[0] <= 12


def _staff(world, *perms, org_key="a"):  # noqa: F811
    user = UserFactory()
    StaffProfileFactory(user=user, organisation=world[org_key])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="portal", codename__in=perms)
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_admin_report_is_scoped_and_needs_its_permission(client, world):  # noqa: F811
    nobody = _staff(world)
    client.force_login(nobody)
    refused = client.get("/admin/reports/surveys/")  # Wagtail: back to the dashboard
    assert refused.status_code == 302 and "黄浦区民政局" not in refused.content.decode()
    assert client.get("/admin/reports/surveys/review/").status_code == 302
    viewer = _staff(world, "view_survey_report", org_key="b")
    client.force_login(viewer)
    html = client.get("/admin/reports/surveys/?year=2026&month=3").content.decode()
    assert "徐汇区民政局" in html and "黄浦区民政局" not in html


def test_a_reviewer_approves_a_text(client, world):  # noqa: F811
    reviewer = _staff(world, "review_survey_text")
    client.force_login(reviewer)
    page = client.get("/admin/reports/surveys/review/").content.decode()
    assert "待审" in page and "窗口很好" not in page
    pending = SurveyAnswer.objects.get(text="待审")
    client.post("/admin/reports/surveys/review/", {"answer": pending.pk, "status": "approved"})
    pending.refresh_from_db()
    assert pending.review_status == ReviewStatus.APPROVED and pending.reviewed_by == reviewer
    # outside the reviewer's subtree: not found, unchanged
    other = _staff(world, "review_survey_text", org_key="b")
    client.force_login(other)
    rejected = SurveyAnswer.objects.get(text="不宜")
    client.post("/admin/reports/surveys/review/", {"answer": rejected.pk, "status": "approved"})
    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.REJECTED

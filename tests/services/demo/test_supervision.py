from datetime import date

import pytest
from freezegun import freeze_time

from services.demo import supervision as supervision_demo
from services.supervision.models import Rectification, SupervisionVisit
from services.supervision.selectors import supervision_summary
from services.supervision.setup import is_supervisor
from tests.factories import UserFactory
from tests.services.case_fixtures import case_world
from tests.services.factories import add_centre, add_centre_index

pytestmark = pytest.mark.django_db


@freeze_time("2026-12-03 10:00:00+08:00")
def test_two_supervisors_and_a_year_of_visits_loaded_once(client):
    world = case_world()
    index = add_centre_index(world["bsfw"], slug="zx")
    add_centre(index, district="黄浦区", organisation=world["tree"]["centre_a1"])
    add_centre(index, district="徐汇区", organisation=world["tree"]["district_b"])
    UserFactory(username="admin", is_superuser=True)
    summary = supervision_demo.load()
    visits = SupervisionVisit.objects.count()
    found = SupervisionVisit.objects.filter(has_findings=True).count()
    assert summary == f"明察暗访：监督员2名，暗访报告{visits}份（发现问题{found}份）"
    assert 60 < visits < 130 and visits * 0.2 < found < visits * 0.5
    first = SupervisionVisit.objects.order_by("visit_date").first().visit_date
    last = SupervisionVisit.objects.order_by("-visit_date").first().visit_date
    assert first >= date(2025, 12, 3) and last <= date(2026, 12, 2)
    assert Rectification.objects.count() == found
    rectified = list(Rectification.objects.filter(status="rectified"))
    on_time = [c for c in rectified if c.rectified_on_time]
    assert rectified and 0.6 * len(rectified) < len(on_time) < len(rectified)  # a few late
    assert Rectification.objects.exclude(status="rectified").exists()  # recent ones still open
    # numbers and deadlines are those of the filing day
    case = rectified[0]
    assert case.case_number[2:10] == f"{case.visit.visit_date:%Y%m%d}"
    users = {v.supervisor.username for v in SupervisionVisit.objects.select_related("supervisor")}
    assert users == {"supervisor_li", "supervisor_zhao"}
    assert all(is_supervisor(u) for u in {v.supervisor for v in SupervisionVisit.objects.all()})
    assert SupervisionVisit.objects.exclude(public_summary="").exists()
    assert supervision_summary(year=2026).totals.visits > 50
    assert "黄浦区" in client.get("/hdjl/mcaf/").content.decode()
    assert supervision_demo.load() == "明察暗访：已存在，未新建"
    assert SupervisionVisit.objects.count() == visits


def test_no_supervisors_with_production_settings(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    assert supervision_demo.load() == "明察暗访：不建演示监督员（生产设置）"
    assert not SupervisionVisit.objects.exists()

"""Small worlds for 明察暗访: the case world with two centres (黄浦 run by the street's centre,
徐汇 by the district), two supervisors, and helpers to file reports at a given time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from portal.cases.numbers import CaseKind, format_case_number
from services.supervision.actions import visit_report_file
from services.supervision.models import Rectification, SupervisionVisit
from services.supervision.setup import supervisor_role_assign
from tests import samples
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import staff_user
from tests.services.case_fixtures import case_world
from tests.services.factories import add_centre, add_centre_index

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def supervisor(username: str):
    user = UserFactory(username=username, first_name="", last_name="")
    supervisor_role_assign(user=user)
    return user


def photo(name="现场.png", content=samples.PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def supervision_world() -> dict:
    world = case_world()
    tree = world["tree"]
    index = add_centre_index(world["bsfw"], slug="zx")
    world["centre_a"] = add_centre(
        index,
        district="黄浦区",
        organisation=tree["centre_a1"],
        title="外滩街道社区事务受理服务中心",
    )
    world["centre_b"] = add_centre(
        index,
        district="徐汇区",
        organisation=tree["district_b"],
        title="徐汇区社区事务受理服务中心",
    )
    tree["centre_a1"].email = "waitan-centre@example.gov.cn"
    tree["centre_a1"].save()
    world["sup1"] = supervisor("supervisor_li")
    world["sup2"] = supervisor("supervisor_zhao")
    world["handler_a"] = staff_user(tree["centre_a1"], "waitan")
    world["handler_b"] = staff_user(tree["district_b"], "xuhui")
    return world


def file_report(world, *, who="sup1", centre="centre_a", visit_date=None, filed_at=None, **kw):
    filed_at = filed_at or at(2026, 9, 28)
    data = {
        "supervisor": world[who],
        "centre_id": world[centre].pk,
        "visit_date": visit_date or date(filed_at.year, filed_at.month, filed_at.day),
        "checked_items": ["attendance", "one_time"],
        "checked_other": "",
        "findings": "",
        "photos": [],
    }
    data.update(kw)
    with freeze_time(filed_at):
        return visit_report_file(**data)


def bulk_reports(world, n: int):
    """n reports of 2026 (half with findings, a third of those rectified), written directly."""
    centre = world["centre_a"]
    org = world["tree"]["centre_a1"]
    visits = SupervisionVisit.objects.bulk_create(
        [
            SupervisionVisit(
                supervisor=world["sup1"],
                visit_date=date(2026, 1, 1) + timedelta(days=i % 330),
                centre=centre,
                organisation=org,
                district=("黄浦区", "徐汇区", "静安区")[i % 3],
                checked_items=["attendance"],
                findings="问题" if i % 2 else "",
                has_findings=bool(i % 2),
            )
            for i in range(n)
        ]
    )
    Rectification.objects.bulk_create(
        [
            Rectification(
                visit=v,
                case_number=format_case_number(CaseKind.RECTIFICATION, v.visit_date, v.pk),
                query_code_hash="!",
                status="rectified" if i % 3 == 0 else "issued",
                organisation=org,
                applicant_name=org.name,
                limit_days=10,
                clock_start=v.visit_date,
                due_date=v.visit_date + timedelta(days=14),
                rectified_on=v.visit_date + timedelta(days=(7, 20)[i % 2]) if i % 3 == 0 else None,
            )
            for i, v in enumerate(visits)
            if v.has_findings
        ]
    )

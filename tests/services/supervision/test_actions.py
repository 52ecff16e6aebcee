"""Filing a visit report: the checks (all errors at once, in Chinese), the photos (content-checked,
size-limited, private, removed again on failure), and a report with findings opening the
organisation's rectification case with its deadline in working days."""

from datetime import date

import pytest

from portal.cases.errors import CaseForbidden, CaseValidationError
from portal.cases.models import CaseEvent
from portal.cases.numbers import parse_case_number
from portal.notify.models import Notice
from portal.uploads.files import private_storage
from services.supervision.models import Rectification, SupervisionVisit, VisitPhoto
from tests import samples
from tests.factories import UserFactory

from .fixtures import at, file_report, photo, supervision_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return supervision_world()


def stored_files():
    storage = private_storage()
    try:
        return storage.listdir("supervision")[1]
    except FileNotFoundError:
        return []


def test_a_report_without_findings_opens_no_case(world):
    visit = file_report(world)
    assert visit.has_findings is False
    assert visit.organisation == world["tree"]["centre_a1"] and visit.district == "黄浦区"
    assert visit.checked_labels() == ["窗口人员在岗在位", "一次性告知"]
    assert Rectification.objects.count() == 0


def test_findings_open_a_rectification_case_due_ten_working_days_later(world):
    # filed Monday 28 September 2026: 29, 30 Sep, (1–7 Oct 国庆 off) 8, 9, 10 (Saturday, 调休
    # workday), 12, 13, 14, 15, 16 October — the 10th working day after is 16 October
    visit = file_report(world, findings="窗口人员未一次性告知所需材料。", photos=[photo()])
    case = visit.rectification
    assert parse_case_number(case.case_number)[:2] == ("rectification", date(2026, 9, 28))
    assert case.case_number.startswith("ZG20260928")
    assert case.organisation == world["tree"]["centre_a1"]
    assert case.status == "issued" and case.limit_days == 10
    assert case.clock_start == date(2026, 9, 28)
    assert case.due_date == date(2026, 10, 16)
    assert "10个工作日内整改" in case.deadline_explanation
    assert case.applicant_name == "外滩街道社区事务受理服务中心"
    assert "supervisor" not in case.applicant_name
    event = CaseEvent.objects.get(case_number=case.case_number)
    assert event.action == "submit" and event.public
    # the organisation is told through the shared notices (its e-mail; its phone is a landline)
    notices = list(Notice.objects.filter(reference=case.case_number))
    assert [(n.channel, n.recipient) for n in notices] == [
        ("email", "waitan-centre@example.gov.cn")
    ]
    assert notices[0].organisation == world["tree"]["centre_a1"]
    assert case.case_number in notices[0].subject
    assert list(case.photos.all()) == list(visit.photos.all())


def test_deadline_follows_the_setting(world, settings):
    settings.SUPERVISION_RECTIFICATION_DAYS = 5
    # Monday 2 November 2026 + 5 working days = Monday 9 November
    visit = file_report(world, filed_at=at(2026, 11, 2), findings="公示的收费标准已过期。")
    assert visit.rectification.due_date == date(2026, 11, 9)


def test_every_error_at_once_in_chinese(world):
    with pytest.raises(CaseValidationError) as exc:
        file_report(
            world,
            centre_id=None,
            visit_date=date(2026, 9, 29),
            checked_items=["bogus"],
            findings="问" * 2001,
        )
    errors = exc.value.errors
    assert errors["visit_date"] == ["暗访日期不能晚于今天。"]
    assert errors["centre"] == ["请选择暗访的社区事务受理中心。"]
    assert errors["checked_items"] == ["检查事项不在清单中：bogus。"]
    assert "不能超过2000个字" in errors["findings"][0]
    assert SupervisionVisit.objects.count() == 0


def test_something_must_have_been_checked_and_old_visits_are_refused(world):
    with pytest.raises(CaseValidationError) as exc:
        file_report(world, checked_items=[], visit_date=date(2026, 7, 1))
    assert exc.value.errors["checked_items"] == ["请至少选择一项检查事项或填写其他检查内容。"]
    assert exc.value.errors["visit_date"] == ["只能填报60天内的暗访。"]
    visit = file_report(world, checked_items=[], checked_other="自助终端运行情况")
    assert visit.checked_labels() == ["自助终端运行情况"]


def test_only_supervisors_file_reports(world):
    world["editor"] = UserFactory(username="someone")
    with pytest.raises(CaseForbidden):
        file_report(world, who="editor")
    with pytest.raises(CaseForbidden):
        file_report(world, who="handler_a")


def test_a_centre_without_organisation_cannot_take_a_report(world):
    world["centre_a"].organisation = None
    world["centre_a"].save_revision().publish()
    with pytest.raises(CaseValidationError) as exc:
        file_report(world, findings="x")
    assert "尚未设置对应机构" in exc.value.errors["centre"][0]


def test_photos_are_checked_by_content_and_stored_privately(world):
    visit = file_report(world, photos=[photo(), photo("b.jpg", samples.JPEG, "image/jpeg")])
    photos = list(visit.photos.all())
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]
    assert [p.original_name for p in photos] == ["照片1.png", "照片2.jpg"]  # not the phone's
    assert all(p.stored_name.startswith("supervision/") for p in photos)
    assert sorted(stored_files()) == sorted(p.stored_name.split("/")[1] for p in photos)
    assert private_storage().open(photos[0].stored_name).read() == samples.PNG


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo("x.png", samples.PDF, "image/png"), "不是照片"),
        (photo("x.png", b"\x89PNG\r\n\x1a\nnot really", "image/png"), "无法解码"),
        (photo("x.jpg", b"<html>hi</html>", "image/jpeg"), "不是有效的"),
        (photo("x.png", b"", "image/png"), "为空"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_kept(world, upload, message):
    with pytest.raises(CaseValidationError) as exc:
        file_report(world, findings="问题", photos=[photo(), upload])
    assert message in " ".join(exc.value.errors["photos"])
    assert SupervisionVisit.objects.count() == 0 and VisitPhoto.objects.count() == 0
    assert stored_files() == []


def test_photos_are_size_limited_and_counted(world, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1024
    big = photo("big.png", samples.image_bytes("PNG", (400, 400)), "image/png")
    with pytest.raises(CaseValidationError) as exc:
        file_report(world, photos=[big])
    assert "过大" in exc.value.errors["photos"][0]
    settings.UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024
    with pytest.raises(CaseValidationError) as exc:
        file_report(world, photos=[photo() for _ in range(7)])
    assert exc.value.errors["photos"] == ["每份报告最多上传6张照片。"]


def test_a_failure_after_storing_removes_the_stored_photos(world, monkeypatch):
    from services.supervision import actions

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(actions.VisitPhoto.objects, "create", broken)
    with pytest.raises(RuntimeError):
        file_report(world, findings="问题", photos=[photo()])
    assert stored_files() == [] and Rectification.objects.count() == 0


def test_the_orphan_sweep_knows_the_photos(world):
    from services.supervision.actions import referenced_files

    visit = file_report(world, photos=[photo()])
    name = visit.photos.get().stored_name
    assert referenced_files({name, "supervision/gone.png"}) == {name}

from datetime import date

import pytest
from freezegun import freeze_time

from portal.cases.actions import case_withdraw
from portal.cases.errors import CaseForbidden, CaseValidationError, InvalidTransition, StaleVersion
from portal.cases.models import CaseEvent
from services.applications.actions import application_submit, application_submit_correction
from services.models import Application, ApplicationFile, ApplicationStatus
from tests.services.case_fixtures import (
    PDF,
    act,
    case_world,
    private_files,
    upload,
    valid_submission,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


stored_files = private_files


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def app(world):
    application, _code = application_submit(**valid_submission(world["guide"]))
    return application


class TestSubmit:
    def test_creates_a_numbered_case_with_files_and_a_deadline(self, world):
        with freeze_time("2026-09-29 10:00:00+08:00"):
            application, code = application_submit(**valid_submission(world["guide"]))
        assert application.case_number.startswith("SQ20260929")
        assert len(code.replace("-", "")) == 10 and code not in application.query_code_hash
        assert application.status == S.SUBMITTED and application.version == 1
        assert application.organisation == world["tree"]["centre_a1"]
        # 10 promised working days from the day after 9-29: 9-30, then National Day 10-1..10-7 is
        # skipped, 10-8, 10-9, 10-10 (make-up Saturday), 10-12..10-16, 10-19.
        assert application.clock_start == date(2026, 9, 29)
        assert application.due_date == date(2026, 10, 19)
        assert "2026年9月29日" in application.deadline_explanation
        assert application.fields == {
            "household_size": "3",
            "reason": "家庭成员因病失去劳动能力",
            "housing": "租赁",
        }
        files = list(application.files.all())
        assert [(f.material_code, f.content_type) for f in files] == [
            ("id_card", "application/pdf"),
            ("income_proof", "image/png"),
        ]
        assert all(
            f.stored_name.startswith("applications/")
            and "id" not in f.stored_name.split("/")[1][:2]
            for f in files
        )
        assert not files[0].stored_name.endswith("id.pdf")

    def test_all_errors_are_reported_at_once_in_chinese(self, world):
        data = valid_submission(
            world["guide"],
            applicant_name="",
            applicant_id_number="110105194912310021",
            applicant_phone="123",
            fields={"household_size": "三口", "housing": "别墅", "unknown": "x"},
            files={"id_card": upload("id.pdf", b"MZ\x90\x00 not a pdf")},
        )
        with pytest.raises(CaseValidationError) as exc:
            application_submit(**data)
        errors = exc.value.errors
        assert set(errors) >= {
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "fields.household_size",
            "fields.reason",
            "fields.housing",
            "fields.unknown",
            "material_id_card",
            "material_income_proof",
        }
        assert "校验位" in errors["applicant_id_number"][0]
        assert "不是有效的 PDF" in errors["material_id_card"][0]
        assert Application.objects.count() == 0 and CaseEvent.objects.count() == 0

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("-5", "“家庭人口数”不能小于0。"),
            ("-0.01", "“家庭人口数”不能小于0。"),
            ("NaN", "“家庭人口数”应为数字。"),
            ("Infinity", "“家庭人口数”应为数字。"),
        ],
    )
    def test_numbers_outside_their_range_are_refused_in_chinese(self, world, value, message):
        fields = {"household_size": value, "reason": "家庭成员因病失去劳动能力"}
        with pytest.raises(CaseValidationError) as exc:
            application_submit(**valid_submission(world["guide"], fields=fields))
        assert exc.value.errors["fields.household_size"] == [message]
        assert Application.objects.count() == 0

    def test_a_number_field_may_have_its_own_range(self, world):
        field = world["guide"].form_fields.get(key="household_size")
        field.min_value, field.max_value = 1, 20
        field.save()
        for value, message in (("0", "不能小于1"), ("21", "不能大于20")):
            fields = {"household_size": value, "reason": "因病"}
            with pytest.raises(CaseValidationError) as exc:
                application_submit(**valid_submission(world["guide"], fields=fields))
            assert message in exc.value.errors["fields.household_size"][0]
        fields = {"household_size": "0", "reason": "因病"}
        field.min_value = None
        field.save()
        application, _code = application_submit(**valid_submission(world["guide"], fields=fields))
        assert application.fields["household_size"] == "0"

    def test_a_renamed_executable_is_refused_by_content(self, world):
        data = valid_submission(world["guide"])
        data["files"]["id_card"] = upload("scan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
        with pytest.raises(CaseValidationError) as exc:
            application_submit(**data)
        assert "material_id_card" in exc.value.errors

    def test_oversized_upload_is_refused(self, world, settings):
        settings.UPLOAD_MAX_FILE_BYTES = 1024
        data = valid_submission(world["guide"])
        data["files"]["id_card"] = upload("big.pdf", PDF + b"0" * 2048)
        with pytest.raises(CaseValidationError) as exc:
            application_submit(**data)
        assert "过大" in exc.value.errors["material_id_card"][0]

    def test_a_failure_after_storing_files_leaves_no_case_and_no_file(self, world, monkeypatch):
        before = stored_files()
        original = ApplicationFile.objects.create

        def fail_on_second(**kwargs):
            if kwargs["material_code"] == "income_proof":
                raise OSError("disk full")
            return original(**kwargs)

        monkeypatch.setattr(ApplicationFile.objects, "create", fail_on_second)
        with pytest.raises(OSError):
            application_submit(**valid_submission(world["guide"]))
        assert Application.objects.count() == 0 and ApplicationFile.objects.count() == 0
        assert stored_files() == before

    def test_guides_closed_online_refuse_applications(self, world):
        world["guide"].online_application_open = False
        with pytest.raises(CaseValidationError, match="暂未开放"):
            application_submit(**valid_submission(world["guide"]))


ALLOWED = {
    "accept": {S.SUBMITTED},
    "reject": {S.SUBMITTED},
    "request_correction": {S.SUBMITTED},
    "complete": {S.ACCEPTED},
}
ACTION_DATA = {
    "accept": {},
    "reject": {"note": "不属于本中心受理范围"},
    "request_correction": {"data": {"items": ["户口簿复印件"]}},
    "complete": {
        "data": {"outcome": "approved", "result": "准予享受最低生活保障", "delivery": "pickup"}
    },
}


def put_in(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(ALLOWED))
def test_every_staff_transition_is_allowed_or_refused(app, action, status):
    put_in(app, status)
    if status in ALLOWED[action]:
        updated = act(app, action, **ACTION_DATA[action])
        assert updated.status == Application.TRANSITIONS[action].target
        assert updated.version == app.version + 1
        assert CaseEvent.objects.filter(case_number=app.case_number, action=action).count() == 1
    else:
        with pytest.raises(InvalidTransition) as exc:
            act(app, action, **ACTION_DATA[action])
        assert "不能执行" in exc.value.message
        assert CaseEvent.objects.filter(case_number=app.case_number, action=action).count() == 0


def test_citizen_actions_are_not_staff_actions(app):
    with pytest.raises(InvalidTransition):
        act(app, "withdraw")
    with pytest.raises(InvalidTransition):
        act(app, "no_such_action")


def test_reject_needs_a_reason(app):
    with pytest.raises(CaseValidationError, match="不予受理的理由"):
        act(app, "reject", note="  ")


def test_complete_needs_outcome_and_result(app):
    act(app, "accept")
    with pytest.raises(CaseValidationError) as exc:
        act(app, "complete", data={"outcome": "maybe", "result": ""})
    assert set(exc.value.errors) == {"outcome", "result"}
    done = act(
        app,
        "complete",
        data={"outcome": "denied", "result": "家庭收入超过标准", "delivery": "post"},
    )
    assert (
        done.is_closed and done.closed_at and done.outcome == "denied" and done.delivery == "post"
    )


def test_stale_version_is_a_conflict_and_writes_nothing(app):
    act(app, "accept", version=1)
    with pytest.raises(StaleVersion):
        act(app, "reject", version=1, note="x")
    assert CaseEvent.objects.filter(case_number=app.case_number).count() == 2


def test_staff_of_another_organisation_cannot_act(app, world):
    with pytest.raises(CaseForbidden):
        act(app, "accept", organisation_ids={world["tree"]["district_b"].pk})
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


def test_correction_is_listed_once_pauses_and_restarts_the_clock(world):
    with freeze_time("2026-09-29 10:00:00+08:00"):
        application, _ = application_submit(**valid_submission(world["guide"]))
    with freeze_time("2026-09-30 09:00:00+08:00"):
        paused = act(
            application, "request_correction", data={"items": ["户口簿复印件", "近三个月收入证明"]}
        )
    assert paused.status == S.CORRECTION_REQUESTED and paused.due_date is None
    assert "暂停" in paused.deadline_explanation
    event = CaseEvent.objects.get(case_number=application.case_number, action="request_correction")
    assert "1. 户口簿复印件；2. 近三个月收入证明" in event.note
    with pytest.raises(CaseValidationError, match="请上传补正材料"):
        application_submit_correction(paused, files={})
    with freeze_time("2026-10-12 15:00:00+08:00"):
        resumed = application_submit_correction(
            paused, files={"income_proof": upload("new.pdf")}, note="已补交"
        )
    assert resumed.status == S.SUBMITTED and resumed.clock_start == date(2026, 10, 12)
    assert resumed.due_date == date(2026, 10, 26)
    assert resumed.files.filter(round=1).count() == 1
    with pytest.raises(CaseValidationError, match="一次性告知"):
        act(resumed, "request_correction", data={"items": ["又缺一项"]})


def test_correction_without_items_is_refused(app):
    with pytest.raises(CaseValidationError, match="一次性列出"):
        act(app, "request_correction", data={"items": [" "]})


def test_citizen_can_withdraw_until_closed(app):
    withdrawn = case_withdraw(app)
    assert withdrawn.status == S.WITHDRAWN and withdrawn.is_closed
    with pytest.raises(InvalidTransition):
        case_withdraw(withdrawn)


def test_excluded_days_move_an_applications_deadline(world):
    """Working days that do not count (e.g. waiting for a third party) are added to an
    application's deadline, on top of its promised 10 days, and the explanation says so."""
    with freeze_time("2026-09-29 10:00:00+08:00"):
        application, _ = application_submit(**valid_submission(world["guide"]))
    assert application.due_date == date(2026, 10, 19)
    Application.objects.filter(pk=application.pk).update(excluded_days=3)
    application.refresh_from_db()
    with freeze_time("2026-09-30 09:00:00+08:00"):
        accepted = act(application, "accept")
    # 10-19 (Mon) plus three working days: 10-20, 10-21, 10-22.
    assert accepted.due_date == date(2026, 10, 22)
    assert "3个工作日不计入" in accepted.deadline_explanation

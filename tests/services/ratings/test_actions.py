from datetime import date

import pytest
from freezegun import freeze_time

from portal.cases.errors import CaseValidationError, InvalidTransition
from portal.cases.models import CaseEvent
from services.applications.actions import application_submit
from services.models import ApplicationStatus, Rating
from services.ratings.actions import RatingConflict, rating_record
from tests.services.case_fixtures import act, case_world, private_files, valid_submission

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


class TestRating:
    def finish(self, application):
        act(application, "accept")
        return act(
            application,
            "complete",
            data={"outcome": "approved", "result": "准予", "delivery": "pickup"},
        )

    def test_only_finished_cases_can_be_rated_and_only_once(self, app):
        with pytest.raises(RatingConflict, match="办结后"):
            rating_record(case=app, score=5)
        done = self.finish(app)
        rating = rating_record(case=done, score=5, comment="办事效率高")
        assert rating.get_score_display() == "非常满意" and rating.follow_up_status == ""
        with pytest.raises(RatingConflict, match="只能评价一次"):
            rating_record(case=done, score=1)
        assert Rating.objects.count() == 1

    def test_a_bad_rating_opens_a_follow_up_due_in_five_working_days(self, app):
        done = self.finish(app)
        with freeze_time("2026-09-30 12:00:00+08:00"):
            rating = rating_record(case=done, score=2, comment="等待时间太长")
        assert rating.is_negative and rating.follow_up_status == "open"
        assert rating.follow_up_due == date(
            2026, 10, 13
        )  # 10-1..10-7 holiday; 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13

    @pytest.mark.parametrize("score", [0, 6, "x", None])
    def test_score_must_be_one_to_five(self, app, score):
        done = self.finish(app)
        with pytest.raises(CaseValidationError, match="1至5"):
            rating_record(case=done, score=score)


class TestRatingFollowUpClose:
    @pytest.fixture
    def bad_rating(self, app):
        from services.ratings.actions import rating_record

        act(app, "accept")
        done = act(app, "complete", data={"outcome": "approved", "result": "准予"})
        return rating_record(case=done, score=1, comment="等了很久")

    def test_closes_and_writes_an_internal_audit_event(self, bad_rating, world):
        from services.ratings.actions import rating_follow_up_close
        from tests.factories import StaffProfileFactory

        staff = StaffProfileFactory(organisation=world["tree"]["district_a"]).user
        rating = rating_follow_up_close(
            rating_id=bad_rating.pk,
            actor=staff,
            organisation_ids={world["tree"]["centre_a1"].pk},
            note="已电话回访，致歉并说明原因",
        )
        assert rating.follow_up_status == "done" and rating.follow_up_closed_at
        event = CaseEvent.objects.get(
            case_number=rating.case_number, action="rating_follow_up_close"
        )
        assert not event.public and event.actor == staff
        assert event.actor_organisation == world["tree"]["district_a"]
        assert event.status_from == event.status_to == S.COMPLETED
        with pytest.raises(InvalidTransition, match="不能重复办结"):
            rating_follow_up_close(
                rating_id=rating.pk, actor=staff, organisation_ids=None, note="again"
            )

    def test_note_is_required_and_scope_is_checked(self, bad_rating, world):
        from portal.cases.errors import CaseNotFound
        from services.ratings.actions import rating_follow_up_close

        with pytest.raises(CaseValidationError, match="请填写整改回访情况"):
            rating_follow_up_close(
                rating_id=bad_rating.pk, actor=None, organisation_ids=None, note=" "
            )
        with pytest.raises(CaseNotFound):
            rating_follow_up_close(
                rating_id=bad_rating.pk,
                actor=None,
                organisation_ids={world["tree"]["district_b"].pk},
                note="回访",
            )
        bad_rating.refresh_from_db()
        assert bad_rating.follow_up_status == "open"

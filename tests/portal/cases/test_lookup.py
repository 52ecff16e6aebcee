from datetime import date

import pytest
from django.utils import timezone
from freezegun import freeze_time

from portal.cases.errors import CaseNotFound, LookupRateLimited
from portal.cases.lookup import (
    LOOKUP_CASE_FREE_FAILURES,
    LOOKUP_CASE_MAX_DELAY,
    case_lookup,
    case_public_view,
    lookup_case_delay,
)
from portal.cases.numbers import format_case_number
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission


@pytest.mark.django_db
class TestLookup:
    @pytest.fixture
    def submitted(self):
        world = case_world()
        application, code = application_submit(**valid_submission(world["guide"]))
        return application, code

    def test_number_and_code_find_the_case(self, submitted):
        application, code = submitted
        found = case_lookup(
            case_number=application.case_number.lower(), query_code=code, client="1.1.1.1"
        )
        assert found.pk == application.pk

    def test_unknown_number_and_wrong_code_get_the_same_answer(self, submitted):
        application, code = submitted
        unknown = format_case_number("application", date(2026, 1, 5), 999)
        with pytest.raises(CaseNotFound) as wrong_code:
            case_lookup(
                case_number=application.case_number, query_code="AAAAA-AAAAA", client="1.1.1.1"
            )
        with pytest.raises(CaseNotFound) as no_case:
            case_lookup(case_number=unknown, query_code=code, client="1.1.1.1")
        assert wrong_code.value.message == no_case.value.message
        assert wrong_code.value.status == no_case.value.status == 404

    def test_strangers_failing_on_a_case_delay_its_holder_only_briefly(self, submitted):
        application, code = submitted
        number = application.case_number
        # Many strangers, each from its own address, fail on this number for an hour.
        start = timezone.now()
        with freeze_time(start) as clock:
            attempts = 0
            for n in range(200):
                try:
                    case_lookup(case_number=number, query_code="AAAAA-AAAAA", client=f"10.0.{n}.1")
                except CaseNotFound:
                    attempts += 1
                except LookupRateLimited as exc:
                    assert exc.retry_after <= LOOKUP_CASE_MAX_DELAY + 1
                clock.tick(18)  # 200 tries in an hour
            # Far fewer guesses were checked than tried: the backoff refused the rest.
            assert LOOKUP_CASE_FREE_FAILURES < attempts < 40
            # The holder right after them waits at most the cap, then gets in.
            with pytest.raises(LookupRateLimited) as refused:
                case_lookup(case_number=number, query_code=code, client="10.9.9.9")
            assert refused.value.retry_after <= LOOKUP_CASE_MAX_DELAY + 1
            clock.tick(refused.value.retry_after)
            assert case_lookup(case_number=number, query_code=code, client="10.9.9.9").pk == (
                application.pk
            )
            # A success clears the number's failures.
            with pytest.raises(CaseNotFound):
                case_lookup(case_number=number, query_code="AAAAA-AAAAA", client="10.0.0.1")

    def test_delays_grow_and_are_capped(self):
        delays = [lookup_case_delay(n) for n in range(1, 20)]
        assert delays[:LOOKUP_CASE_FREE_FAILURES] == [0] * LOOKUP_CASE_FREE_FAILURES
        assert delays[LOOKUP_CASE_FREE_FAILURES : LOOKUP_CASE_FREE_FAILURES + 3] == [2, 4, 8]
        assert max(delays) == LOOKUP_CASE_MAX_DELAY == 300

    def test_a_client_guessing_many_numbers_is_limited(self, submitted):
        application, code = submitted
        for n in range(30):
            number = format_case_number("application", date(2026, 1, 5), n + 1)
            with pytest.raises(CaseNotFound):
                case_lookup(case_number=number, query_code="AAAAA-AAAAA", client="6.6.6.6")
        with pytest.raises(LookupRateLimited):
            case_lookup(case_number=application.case_number, query_code=code, client="6.6.6.6")
        assert case_lookup(case_number=application.case_number, query_code=code, client="7.7.7.7")

    def test_public_view_masks_personal_data(self, submitted):
        application, _code = submitted
        view = case_public_view(application)
        assert view["applicant"] == {
            "name": "张*",
            "id_number": "110***********002X",
            "phone": "138****1234",
        }
        assert view["status"] == "submitted" and view["status_label"] == "已提交，待受理"
        assert [e["action"] for e in view["timeline"]] == ["提交申请"]
        assert "13812341234" not in str(view) and "11010519491231002X" not in str(view)

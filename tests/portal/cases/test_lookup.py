from datetime import date

import pytest

from portal.cases.errors import CaseNotFound, LookupRateLimited
from portal.cases.lookup import case_lookup, case_public_view
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

    def test_ten_failures_per_case_number_lock_it_for_everyone(self, submitted):
        application, code = submitted
        for n in range(10):
            with pytest.raises(CaseNotFound):
                case_lookup(
                    case_number=application.case_number,
                    query_code="AAAAA-AAAAA",
                    client=f"10.0.0.{n}",
                )
        with pytest.raises(LookupRateLimited) as exc:
            case_lookup(case_number=application.case_number, query_code=code, client="10.9.9.9")
        assert exc.value.status == 429

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

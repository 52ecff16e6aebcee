from datetime import date

import pytest
from django.db import transaction

from portal.cases import (
    QUERY_ALPHABET,
    CaseEvent,
    CaseNotFound,
    CaseNumberError,
    IdempotencyConflict,
    LookupRateLimited,
    _check_char,
    case_lookup,
    case_public_view,
    check_query_code,
    format_case_number,
    generate_query_code,
    hash_query_code,
    next_case_number,
    parse_case_number,
    run_idempotent,
)
from services.actions import application_submit
from services.models import Application
from tests.services.case_fixtures import case_world, valid_submission


def test_case_number_has_kind_date_serial_and_check_character():
    number = format_case_number("application", date(2026, 11, 29), 123)
    assert number[:16] == "SQ20261129000123" and len(number) == 17
    assert parse_case_number(number) == ("application", date(2026, 11, 29), 123)
    assert parse_case_number(number.lower()) == ("application", date(2026, 11, 29), 123)


def test_every_single_character_typo_and_adjacent_swap_is_caught():
    number = format_case_number("disclosure_request", date(2026, 3, 5), 4071)
    body = number[:-1]
    for i, ch in enumerate(body[2:], start=2):
        for other in "0123456789":
            if other != ch:
                typo = body[:i] + other + body[i + 1 :]
                assert _check_char(typo) != number[-1], typo
    for i in range(2, len(body) - 1):
        swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        if swapped != body:
            assert _check_char(swapped) != number[-1], swapped


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("SQ2026112900012", "共17位"),
        ("XX20261129000123" + "0", "开头应为"),
        ("SQ20261332000123" + _check_char("SQ20261332000123"), "日期无效"),
    ],
)
def test_malformed_numbers_get_specific_messages(value, message):
    with pytest.raises(CaseNumberError) as exc:
        parse_case_number(value)
    assert message in exc.value.message


def test_wrong_check_character_is_a_typo():
    number = format_case_number("complaint", date(2026, 1, 2), 7)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(CaseNumberError, match="校验码"):
        parse_case_number(wrong)


@pytest.mark.django_db
def test_serials_count_per_kind_and_day():
    with transaction.atomic():
        first = next_case_number("application", date(2026, 11, 29))
        second = next_case_number("application", date(2026, 11, 29))
        other_kind = next_case_number("complaint", date(2026, 11, 29))
        next_day = next_case_number("application", date(2026, 11, 30))
    assert first.startswith("SQ20261129000001") and second.startswith("SQ20261129000002")
    assert other_kind.startswith("TS20261129000001") and next_day.startswith("SQ20261130000001")


def test_query_codes_are_long_unambiguous_and_hashed():
    code = generate_query_code()
    raw = code.replace("-", "")
    assert len(raw) >= 8 and set(raw) <= set(QUERY_ALPHABET)
    assert not set("01OIL") & set(raw)
    hashed = hash_query_code(code)
    assert raw not in hashed
    assert check_query_code(code.lower().replace("-", " "), hashed)
    assert not check_query_code("ABCDE-FGHJK", hashed)
    assert not check_query_code(code, None)


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


@pytest.mark.django_db
def test_case_events_are_append_only():
    world = case_world()
    application, _ = application_submit(**valid_submission(world["guide"]))
    event = CaseEvent.objects.get(case_number=application.case_number)
    event.note = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.django_db
class TestIdempotency:
    def test_retry_returns_the_first_answer_and_creates_nothing(self):
        calls = []

        def create():
            calls.append(1)
            return 201, {"n": len(calls)}

        first = run_idempotent(scope="t", key="k1", fingerprint="f", fn=create)
        again = run_idempotent(scope="t", key="k1", fingerprint="f", fn=create)
        assert first == again == (201, {"n": 1})
        assert len(calls) == 1

    def test_query_codes_and_keys_are_never_stored_readable(self):
        from portal.cases import IdempotencyRecord

        answer = {"case_number": "TS202611290000017", "query_code": "ABCDE-FGHJK"}
        assert run_idempotent(
            scope="t", key="secret-key", fingerprint="f", fn=lambda: (201, answer)
        ) == (201, answer)
        record = IdempotencyRecord.objects.get()
        assert "ABCDE-FGHJK" not in str(record.response) and "secret-key" not in record.key
        replay = run_idempotent(scope="t", key="secret-key", fingerprint="f", fn=lambda: (500, {}))
        assert replay == (201, answer)

    def test_same_key_for_a_different_request_is_refused(self):
        run_idempotent(scope="t", key="k2", fingerprint="a", fn=lambda: (201, {}))
        with pytest.raises(IdempotencyConflict):
            run_idempotent(scope="t", key="k2", fingerprint="b", fn=lambda: (201, {}))

    def test_failures_are_not_remembered(self):
        assert run_idempotent(scope="t", key="k3", fingerprint="a", fn=lambda: (422, {"e": 1})) == (
            422,
            {"e": 1},
        )
        assert run_idempotent(
            scope="t", key="k3", fingerprint="a", fn=lambda: (201, {"ok": 1})
        ) == (201, {"ok": 1})

    def test_without_a_key_every_call_runs(self):
        assert Application.objects.count() == 0
        calls = []
        run_idempotent(
            scope="t", key=None, fingerprint="a", fn=lambda: (calls.append(1), (201, {}))[1]
        )
        run_idempotent(
            scope="t", key=None, fingerprint="a", fn=lambda: (calls.append(1), (201, {}))[1]
        )
        assert len(calls) == 2

from datetime import date

import pytest
from django.db import transaction

from portal.cases.actions import next_case_number
from portal.cases.codes import (
    QUERY_ALPHABET,
    check_query_code,
    generate_query_code,
    hash_query_code,
)
from portal.cases.errors import CaseNumberError
from portal.cases.numbers import _check_char, format_case_number, parse_case_number


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


def _reference_check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 in its weighted form (weights 2^k mod 11), written independently of the
    product's iterative one; letters count as two digits (A=10 … Z=35)."""
    digits = "".join(str(ord(c) - ord("A") + 10) if c.isalpha() else c for c in body)
    n = len(digits)
    total = sum(int(d) * pow(2, n - i, 11) for i, d in enumerate(digits))
    return "0123456789X"[(12 - total % 11) % 11]


@pytest.mark.parametrize("seed", range(5))
def test_the_check_character_is_iso_7064_mod_11_2(seed):
    import random

    rng = random.Random(seed)
    for _ in range(200):
        body = rng.choice(["SQ", "GK", "TS"]) + "".join(rng.choices("0123456789", k=14))
        assert _check_char(body) == _reference_check_char(body), body


def test_on_digits_it_is_the_resident_id_check():
    """The 18th character of a resident ID number is the same MOD 11-2 check (GB 11643)."""
    from portal.privacy import id_check_char

    assert _check_char("11010519491231002") == "X"
    for body in ("44052418800101001", "32010619900307203", "11010120000101000"):
        assert _check_char(body) == id_check_char(body)

"""Query codes (查询码): 10 characters from an alphabet without 0/O/1/I/L, shown once to the
applicant and stored only as a salted hash; checking an unknown case compares against a dummy hash,
so a lookup takes the same time whether or not the case exists."""

import secrets

from django.contrib.auth.hashers import check_password, make_password

from .numbers import normalise_case_number as _normalise

QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing to misread
QUERY_CODE_LENGTH = 10


def generate_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_query_code(value: str) -> str:
    return _normalise(value)  # the same rule: spaces and hyphens dropped, upper case


def hash_query_code(code: str) -> str:
    return make_password(normalise_query_code(code))


_DUMMY_HASH: str | None = None


def check_query_code(code: str, hashed: str | None) -> bool:
    """Compare in the same time whether or not the case exists (hashed=None compares a dummy)."""
    global _DUMMY_HASH
    if hashed is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = make_password(generate_query_code())
        check_password(normalise_query_code(code), _DUMMY_HASH)
        return False
    return check_password(normalise_query_code(code), hashed)

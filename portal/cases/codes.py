"""Query codes (查询码): 10 characters from an alphabet without 0/O/1/I/L, shown once to the
applicant and stored only as a keyed hash.

The hash is HMAC-SHA256 with a server-side key (`QUERY_CODE_KEYS`, newest first, each `id:secret`),
stored as `hmac-sha256$<key id>$<hex>`: a few microseconds per check, so the status lookup costs
no CPU worth mentioning, while a stolen database alone does not let anyone test codes (31¹⁰
possibilities, and the key is not in the database). Keys rotate: new codes and every successful
lookup use the newest key (`needs_rehash`), older keys only verify. Hashes made before this scheme
(Django's password hashers) still verify and are upgraded on the next successful lookup. Checking
an unknown case compares against a dummy hash, so the answer takes the same time either way."""

import hashlib
import hmac
import secrets
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password

from .numbers import normalise_case_number as _normalise

QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing to misread
QUERY_CODE_LENGTH = 10
ALGORITHM = "hmac-sha256"
# The key used when QUERY_CODE_KEYS is not set (dev, tests): derived from SECRET_KEY, and always
# accepted for verification so that codes hashed before the first key was configured still work.
DERIVED_KEY_ID = "sk"


def generate_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_query_code(value: str) -> str:
    return _normalise(value)  # the same rule: spaces and hyphens dropped, upper case


def _derived_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"sunshine-query-code-key", "sha256").digest()


@lru_cache(maxsize=4)
def _parse_keys(spec: tuple[str, ...], secret_key: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for item in spec:
        key_id, sep, secret = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or not secret.strip() or "$" in key_id or len(key_id) > 32:
            raise ValueError("QUERY_CODE_KEYS entries are 'id:secret' (newest first)")
        keys.append((key_id, secret.strip().encode()))
    return tuple(keys)


def query_code_keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) newest first; the derived key last, for verification only when others exist."""
    configured = _parse_keys(
        tuple(getattr(settings, "QUERY_CODE_KEYS", ()) or ()), settings.SECRET_KEY
    )
    if any(key_id == DERIVED_KEY_ID for key_id, _key in configured):
        return configured
    return (*configured, (DERIVED_KEY_ID, _derived_key()))


def _mac(key: bytes, code: str) -> str:
    return hmac.new(key, normalise_query_code(code).encode(), hashlib.sha256).hexdigest()


def hash_query_code(code: str) -> str:
    key_id, key = query_code_keys()[0]
    return f"{ALGORITHM}${key_id}${_mac(key, code)}"


def needs_rehash(hashed: str) -> bool:
    """True for a legacy (password-hasher) hash or one made with a key that is no longer newest."""
    newest_id = query_code_keys()[0][0]
    return not hashed.startswith(f"{ALGORITHM}${newest_id}$")


def check_query_code(code: str, hashed: str | None) -> bool:
    """Compare in the same time whether or not the case exists (hashed=None compares a dummy)."""
    if hashed is None:
        hmac.compare_digest(hash_query_code(code), hash_query_code(generate_query_code()))
        return False
    if hashed.startswith(f"{ALGORITHM}$"):
        _alg, key_id, digest = (hashed.split("$", 2) + ["", ""])[:3]
        key = dict(query_code_keys()).get(key_id)
        if key is None:  # made with a key that has been retired
            return False
        return hmac.compare_digest(_mac(key, code), digest)
    # Before HMAC: Django's password hashers (upgraded by the lookup on success).
    return check_password(normalise_query_code(code), hashed)

"""Once and only once: every state-changing POST runs its write through this module.

- API clients send an `Idempotency-Key` header: `run_idempotent` stores the first successful answer
  per (scope, key); a retry with the same key and the same request gets that answer back and creates
  nothing; the same key with another request is refused (422).
- Web forms carry a one-time form token in a hidden field (`new_form_token`): `run_once_per_form_token`
  is the same mechanism keyed by the token, so a double click or a back-and-resubmit gets the first
  answer and writes nothing more.

The key is stored only hashed, and a query code in a stored answer is sealed with a pad derived from
the client's key (`_seal_response`): the database never holds a query code readable.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import PortalError


class IdempotencyRecord(models.Model):
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")
        ]
        verbose_name = gettext_lazy("幂等记录")

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class IdempotencyConflict(PortalError):
    status = 422


class FormTokenInvalid(PortalError):
    status = 422


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _pad(raw_key: str, length: int) -> bytes:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"idempotency-seal:" + raw_key.encode(), "sha256"
    ).digest()
    return (digest * (length // len(digest) + 1))[:length]


def _seal_response(response: dict, raw_key: str) -> dict:
    """The answer as stored: a query code in it is sealed with a pad derived from the client's
    Idempotency-Key, which itself is stored only hashed — the database never holds it readable."""
    code = response.get("query_code")
    if not code:
        return response
    data = code.encode()
    sealed = bytes(a ^ b for a, b in zip(data, _pad(raw_key, len(data)), strict=True)).hex()
    return {
        **{k: v for k, v in response.items() if k != "query_code"},
        "_sealed_query_code": sealed,
    }


def _unseal_response(stored: dict, raw_key: str) -> dict:
    sealed = stored.get("_sealed_query_code")
    if not sealed:
        return stored
    data = bytes.fromhex(sealed)
    code = bytes(a ^ b for a, b in zip(data, _pad(raw_key, len(data)), strict=True)).decode()
    return {**{k: v for k, v in stored.items() if k != "_sealed_query_code"}, "query_code": code}


def _lock(stored_key: str) -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [int.from_bytes(bytes.fromhex(stored_key[:16]), "big", signed=True)],
            )


def run_idempotent(
    *, scope: str, key: str | None, fingerprint: str, fn: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run fn() → (status, json-able response) once per (scope, key). A retry with the same key and
    the same request returns the stored answer and creates nothing; the same key with a different
    request is refused. fn's writes and the record commit together. The key is stored hashed and
    a query code in the answer sealed (see `_seal_response`)."""
    if not key:
        with transaction.atomic():  # fn's writes and its on-commit work (quotas) together
            return fn()
    raw_key = key.strip()[:100]
    stored_key = hashlib.sha256(f"{scope}:{raw_key}".encode()).hexdigest()
    existing = IdempotencyRecord.objects.filter(scope=scope, key=stored_key).first()
    if existing is None:
        try:
            with transaction.atomic():
                # Two requests with one key at the same moment: the second waits here until the
                # first commits, then finds its record and never runs fn (no second case, no
                # stray files). PostgreSQL: an advisory lock on the key; SQLite: the write lock
                # BEGIN IMMEDIATE takes (settings).
                _lock(stored_key)
                existing = IdempotencyRecord.objects.filter(scope=scope, key=stored_key).first()
                if existing is None:
                    status, response = fn()
                    if status < 400:
                        IdempotencyRecord.objects.create(
                            scope=scope,
                            key=stored_key,
                            fingerprint=fingerprint,
                            status_code=status,
                            response=_seal_response(response, raw_key),
                        )
                    return status, response
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=stored_key).first()
            if existing is None:
                raise
    if existing.fingerprint != fingerprint:
        raise IdempotencyConflict(
            _("同一 Idempotency-Key 已用于另一个不同的请求。"),
            {"Idempotency-Key": [_("请为新的请求使用新的键。")]},
        )
    return existing.status_code, _unseal_response(existing.response, raw_key)


# ---------------------------------------------------------------------------------------------
# One-time form tokens: the web forms' Idempotency-Key.

FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def valid_form_token(token: str | None) -> bool:
    return bool(FORM_TOKEN_RE.match(token or ""))


def run_once_per_form_token(
    *, scope: str, token: str, fn: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """fn() once per (scope, token). The twin request of a double click waits on the row lock of
    what it changes and then finds the state changed (a PortalError): when the first of the two has
    recorded its answer meanwhile, the twin gets that answer instead of the error."""
    if not valid_form_token(token):
        message = _("表单已失效，请刷新页面后重新提交。")
        raise FormTokenInvalid(message, {"form_token": [message]})
    proof = fingerprint(scope, token)
    try:
        return run_idempotent(scope=scope, key=token, fingerprint=proof, fn=fn)
    except PortalError as exc:
        original = exc

        def fail() -> tuple[int, dict]:
            raise original

        return run_idempotent(scope=scope, key=token, fingerprint=proof, fn=fail)

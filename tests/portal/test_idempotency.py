import pytest

from portal.idempotency import IdempotencyConflict, run_idempotent
from services.models import Application


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
        from portal.idempotency import IdempotencyRecord

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

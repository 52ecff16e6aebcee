"""Two staff acting on one case at once (portal.cases.case_transition): one wins, the other gets a
conflict, nothing is half-written."""

import threading
import time

import pytest
from django.db import connection, connections

from portal.cases.actions import case_act
from portal.cases.errors import InvalidTransition, StaleVersion
from portal.cases.models import CaseEvent
from services.applications.actions import application_submit
from services.models import Application, ApplicationStatus
from tests.services.case_fixtures import case_world, valid_submission

S = ApplicationStatus


def _race(case_pk: int, attempts: list[dict]) -> list:
    """Run each attempt in its own thread (its own DB connection), all released at once. The
    accept/reject handlers are slowed down while they hold the row lock, so the attempts really
    overlap. Returns each attempt's result: the updated case or the exception."""
    results: list = [None] * len(attempts)
    barrier = threading.Barrier(len(attempts))

    def run(i: int, attempt: dict):
        try:
            case = Application.objects.get(pk=case_pk)
            barrier.wait(timeout=10)
            results[i] = case_act(case, actor=None, organisation_ids=None, **attempt)
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    original_accept, original_reject = Application.on_accept, Application.on_reject

    def slow_accept(self, **kwargs):
        time.sleep(0.3)
        return original_accept(self, **kwargs)

    def slow_reject(self, **kwargs):
        time.sleep(0.3)
        return original_reject(self, **kwargs)

    Application.on_accept, Application.on_reject = slow_accept, slow_reject
    try:
        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        Application.on_accept, Application.on_reject = original_accept, original_reject
    return results


@pytest.fixture
def racing_case():
    world = case_world()
    application, _code = application_submit(**valid_submission(world["guide"]))
    return application


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers (one database-wide write lock, no row locks), so two "
    "transitions cannot overlap there; the race is tested on PostgreSQL",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
class TestRaceOnPostgres:
    def test_same_version_one_wins_the_other_is_stale(self, racing_case):
        results = _race(
            racing_case.pk,
            [
                {"action": "accept", "version": 1},
                {"action": "reject", "version": 1, "note": "材料不全"},
            ],
        )
        winners = [r for r in results if isinstance(r, Application)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], StaleVersion)
        racing_case.refresh_from_db()
        assert racing_case.version == 2 and racing_case.status == winners[0].status
        events = CaseEvent.objects.filter(case_number=racing_case.case_number).exclude(
            action="submit"
        )
        assert events.count() == 1 and events.get().status_to == racing_case.status

    def test_without_version_the_loser_meets_the_new_state(self, racing_case):
        results = _race(
            racing_case.pk,
            [{"action": "accept", "version": None}, {"action": "accept", "version": None}],
        )
        assert sum(isinstance(r, Application) for r in results) == 1, results
        assert sum(isinstance(r, InvalidTransition) for r in results) == 1, results
        racing_case.refresh_from_db()
        assert racing_case.status == S.ACCEPTED and racing_case.version == 2
        assert (
            CaseEvent.objects.filter(case_number=racing_case.case_number, action="accept").count()
            == 1
        )


@pytest.mark.django_db
def test_version_conflict_on_every_database(racing_case):
    """Two staff opened the case at version 1; the second to act gets a conflict."""
    first_view = Application.objects.get(pk=racing_case.pk)
    second_view = Application.objects.get(pk=racing_case.pk)
    case_act(first_view, action="accept", actor=None, organisation_ids=None, version=1)
    with pytest.raises(StaleVersion) as exc:
        case_act(
            second_view, action="reject", actor=None, organisation_ids=None, version=1, note="x"
        )
    assert exc.value.status == 409 and "请刷新" in exc.value.message
    racing_case.refresh_from_db()
    assert (racing_case.status, racing_case.version) == (S.ACCEPTED, 2)
    assert list(
        CaseEvent.objects.filter(case_number=racing_case.case_number).values_list(
            "action", flat=True
        )
    ) == ["submit", "accept"]

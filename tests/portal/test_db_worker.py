"""The task worker outlives a database restart (portal/management/commands/db_worker.py)."""

import pytest
from django.core.management import call_command, get_commands
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as library

from portal.management.commands import db_worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """The suite runs tasks immediately; the worker needs production's database backend."""
    settings.TASKS = DATABASE_TASKS


def test_manage_py_db_worker_is_the_portal_one():
    assert get_commands()["db_worker"] == "portal"


def test_a_database_error_restarts_the_worker_with_growing_waits(monkeypatch):
    runs, waits = [], []
    outcomes = [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        None,
    ]

    def handle(self, *args, **options):
        runs.append(options["batch"])
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(library.Command, "handle", handle)
    monkeypatch.setattr(db_worker.time, "sleep", waits.append)
    call_command("db_worker", "--batch")
    assert runs == [True, True, True]  # started again with the same options, twice
    assert waits == [1.0, 2.0]


def test_other_errors_still_stop_the_worker(monkeypatch):
    def handle(self, *args, **options):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(library.Command, "handle", handle)
    monkeypatch.setattr(db_worker.time, "sleep", lambda s: pytest.fail("no retry for a bug"))
    with pytest.raises(ValueError):
        call_command("db_worker", "--batch")


@pytest.mark.django_db(transaction=True)
def test_a_real_batch_run_still_runs_the_queued_tasks():
    from django_tasks_db.models import DBTaskResult

    from portal.notify.actions import deliver_notice

    result = deliver_notice.enqueue(notice_id=987654)  # no such notice: the task returns None
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"

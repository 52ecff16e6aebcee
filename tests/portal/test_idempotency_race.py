"""Two truly simultaneous submits — the same Idempotency-Key, or the same one-time form token of a
double click — each on its own thread and database connection: one case, one set of files, and
both get the first answer."""

import threading
import time

import pytest
from django.db import connections
from django.test import Client

from services.complaints.models import Complaint
from services.models import Application, ApplicationFile
from tests.portal.security.test_body import application_body, stored_files
from tests.services.case_fixtures import case_world
from tests.services.complaints.fixtures import complaint_data

pytestmark = pytest.mark.django_db(transaction=True)


def _together(n: int, send) -> list:
    """Run send() on n threads released at once; each thread has its own connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int):
        try:
            barrier.wait(timeout=10)
            results[i] = send()
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _slowed(monkeypatch, target: str):
    """Make the write take a while, so the two requests really overlap inside it."""
    module, name = target.rsplit(".", 1)
    real = getattr(__import__(module, fromlist=[name]), name)

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, slow)


def test_same_idempotency_key_at_once_gives_one_case_and_the_first_answer(monkeypatch):
    case_world()
    _slowed(monkeypatch, "services.applications.api.application_submit")

    def send():
        response = Client().post(
            "/api/v1/applications", application_body(), headers={"Idempotency-Key": "race-1"}
        )
        return response.status_code, response.json()

    results = _together(2, send)
    assert all(isinstance(r, tuple) for r in results), results
    (s1, a1), (s2, a2) = results
    assert s1 == s2 == 201
    assert a1 == a2 and a1["query_code"]
    assert Application.objects.count() == 1
    assert ApplicationFile.objects.count() == 2 and len(stored_files()) == 2


def test_double_click_on_a_web_form_gives_one_complaint_and_the_same_page(monkeypatch):
    case_world()
    _slowed(monkeypatch, "services.complaints.views.complaint_submit")
    data = {**complaint_data(), "form_token": "double-click-token-0001"}

    def send():
        response = Client().post("/hdjl/ts/", data)
        return response.status_code, response.content.decode()

    results = _together(2, send)
    assert all(isinstance(r, tuple) for r in results), results
    complaint = Complaint.objects.get()
    for status, page in results:
        assert status == 200
        assert complaint.case_number in page

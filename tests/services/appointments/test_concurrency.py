"""Capacity under load, on PostgreSQL: 20 people book the last seat at the same moment."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from services.appointments import actions
from services.appointments.errors import SlotUnavailable
from services.appointments.models import Appointment, Slot

from .fixtures import at, book_kwargs, booking_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_twenty_people_booking_the_last_seat_exactly_one_gets_it():
    w = booking_world()
    start = at(date(2026, 9, 21), 9)
    actions.appointment_book(**book_kwargs(w, start=start))  # 1 of 2 seats taken
    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            actions.appointment_book(**book_kwargs(w, start=start))
            outcome = "booked"
        except SlotUnavailable:
            outcome = "full"
        except Exception as exc:  # anything else is a failure of the test
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked"] + ["full"] * 19
    slot = Slot.objects.get(bookable=w["marriage_booking"], start=start)
    assert slot.booked == slot.capacity == 2
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_one_person_booking_twice_at_once_gets_one_booking():
    w = booking_world()
    kwargs = book_kwargs(w, guide="dibao")
    starts = [at(date(2026, 9, 21), 9), at(date(2026, 9, 21), 10)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def attempt(start):
        try:
            barrier.wait()
            actions.appointment_book(**{**kwargs, "start": start.isoformat()})
            results.append("booked")
        except SlotUnavailable:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(s,)) for s in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked", "refused"]
    assert Appointment.objects.filter(id_number=kwargs["id_number"], status="booked").count() == 1
    # the refused one gave its seat back
    assert (
        sum(
            Slot.objects.filter(bookable=w["dibao_booking"], start__in=starts).values_list(
                "booked", flat=True
            )
        )
        == 1
    )

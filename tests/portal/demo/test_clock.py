"""portal.demo_clock: past demo cases get their dates from the clock, and only inside it."""

from datetime import date, time

from django.utils import timezone

from portal.cases.codes import hash_query_code
from portal.cases.models import CaseEvent
from portal.demo.clock import demo_clock


def test_clock_drives_now_localdate_and_now_defaults_and_is_restored():
    with demo_clock() as clock:
        moment = clock.set(date(2025, 3, 4), time(9, 30))
        assert timezone.now() == moment
        assert timezone.localdate() == date(2025, 3, 4)
        assert CaseEvent._meta.get_field("at").get_default() == moment
        assert clock.set(date(2025, 3, 4), time(9, 0)) > moment  # a timeline never goes back
        clock.restart()
        assert clock.set(date(2025, 1, 2)).date() == date(2025, 1, 2)
    assert timezone.now() > moment  # the real clock again
    assert CaseEvent._meta.get_field("at").get_default() != moment


def test_history_cases_get_an_unusable_query_code_hash():
    from portal.cases import actions as cases

    with demo_clock():
        assert cases.hash_query_code("ABCDE-FGHJK").startswith("!")
    assert cases.hash_query_code is hash_query_code

"""A clock for building demo history: past cases created through the real actions (so numbers,
receipt dates, deadlines, corrections, replies and timeline entries are computed by the real code)
as if each step happened at a given moment.

The actions take "now" from `django.utils.timezone.now()` (directly, via `localdate()`, or as the
default of fields like `submitted_at` and `CaseEvent.at`); inside `demo_clock()` all of these
return the clock's moment. freezegun is a development dependency only, so this patches with the
standard library, for the demo loader only (a management command, single-threaded).

The query code of a history case is never shown to anyone, so inside `demo_clock()` it is stored
as an unusable hash (no lookup by code succeeds): nobody could look it up anyway, and an unusable
hash makes that explicit (check_query_code treats it as a legacy hash that never matches).
"""

from contextlib import ExitStack, contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.apps import apps
from django.utils import timezone

_REAL_NOW = timezone.now


class DemoClock:
    def __init__(self):
        self.moment: datetime | None = None

    def now(self) -> datetime:
        if self.moment is None:
            raise RuntimeError("demo_clock: set a moment before using the clock")
        return self.moment

    def set(self, day: date, at: time = time(10, 0)) -> datetime:
        """Move to `day` at `at` local time. Within one case the timeline only moves forward: a
        moment not after the previous one becomes a few minutes after it (`restart()` between
        cases)."""
        moment = timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())
        if self.moment is not None and moment <= self.moment:
            moment = self.moment + timedelta(minutes=7)
        self.moment = moment
        return moment

    def restart(self) -> None:
        self.moment = None


@contextmanager
def demo_clock():
    clock = DemoClock()
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", clock.now))
        stack.enter_context(mock.patch("portal.cases.actions.hash_query_code", _unusable_hash))
        # Fields declared with default=timezone.now hold the real function (and cache it).
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.default is _REAL_NOW:
                    stack.enter_context(mock.patch.object(field, "_get_default", clock.now))
        yield clock


def _unusable_hash(code: str) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(None)

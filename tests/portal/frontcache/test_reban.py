"""Every change is banned twice: at commit, and once more FRONT_CACHE_REBAN_SECONDS later by the
task worker, so that a response rendered from the old rows during the commit and stored in
Varnish after the first ban does not outlive it (portal/frontcache/purge.py)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend

from portal.frontcache import purge
from portal.frontcache.backends import Ban
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db

DEFERRING = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Recorder(BaseBackend):
    calls: list = []

    def __init__(self, params):
        super().__init__(params)

    def ban(self, bans):
        Recorder.calls.append(frozenset(bans))

    def purge(self, url):
        pass


@pytest.fixture
def recorded(settings):
    Recorder.calls = []
    settings.WAGTAILFRONTENDCACHE = {
        "rec": {"BACKEND": "tests.portal.frontcache.test_reban.Recorder"}
    }
    return Recorder.calls


@pytest.fixture
def document():
    home = make_home()
    catalogue = add_catalogue(home)
    return add_document(
        catalogue, organisation=org_tree()["bureau"], title="关于调整低保标准的通知"
    )


def _queued():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="portal.frontcache.purge.reban"))


def test_a_publish_bans_at_commit_and_queues_the_same_bans_for_later(
    recorded, document, settings, django_capture_on_commit_callbacks
):
    settings.FRONT_CACHE_REBAN_SECONDS = 5
    with override_settings(TASKS=DEFERRING):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            document.title = "关于提高低保标准的通知"
            document.save_revision().publish()
        first = recorded[0]
        assert Ban("/xxgk/") in first and Ban("/", prefix=False) in first
        [queued] = _queued()
        assert (
            before + timedelta(seconds=5)
            <= queued.run_after
            <= timezone.now() + timedelta(seconds=5)
        )
        # What the worker does when the time comes: the very same bans once more.
        queued.task.call(**queued.args_kwargs["kwargs"])
    assert recorded[-1] == first and len(recorded) >= 2


def test_no_second_ban_without_a_deferring_backend_or_when_turned_off(
    recorded, document, settings, django_capture_on_commit_callbacks
):
    # The test settings' immediate backend cannot defer: one ban, nothing queued, no error.
    with django_capture_on_commit_callbacks(execute=True):
        document.save_revision().publish()
    assert len(recorded) == 1
    settings.FRONT_CACHE_REBAN_SECONDS = 0
    with override_settings(TASKS=DEFERRING):
        with django_capture_on_commit_callbacks(execute=True):
            document.save_revision().publish()
        assert _queued() == []
    assert purge.schedule_reban(set()) is False

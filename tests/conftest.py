import copy
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and throttles live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox():
    """Like django.core.mail.outbox: the recorded SMS messages start empty in every test."""
    from portal.notify import reset_outbox

    reset_outbox()
    yield
    reset_outbox()


@pytest.fixture(autouse=True)
def _own_private_storage(tmp_path, settings):
    """Each test gets its own private storage, so tests that count stored files are safe under
    xdist (workers no longer share one folder)."""
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    storages = copy.deepcopy(settings.STORAGES)
    storages["private"]["OPTIONS"]["location"] = str(root)
    settings.STORAGES = storages


@pytest.fixture(autouse=True, scope="session")
def _private_media_dir():
    yield
    shutil.rmtree(settings.TEST_ARTIFACTS, ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption(
        "--run-bench", action="store_true", default=False, help="run the benchmarks in tests/bench"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-bench"):
        return
    skip = pytest.mark.skip(reason="benchmark: run with `make bench`")
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _import_urlconf_before_any_frozen_time(django_db_setup):
    """Import the URLconf (and with it the API's pydantic schemas) once, before any test freezes
    time: a schema built while freezegun has replaced `date` would be built for FakeDate."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
    yield

"""Boring, fast, deterministic test settings. DATABASE_URL still picks PostgreSQL (CI) or SQLite."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import env, env_bool, env_int

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}
}
# No in-app front cache by default: a test that changes rows directly must see them on the next
# request. tests/portal/frontcache/ turns it on.
FRONT_CACHE_APP = False
# Django's own immediate backend, not the django_tasks backport's: the task class comes from the
# backend, and production's django_tasks_db backend is a django.tasks backend on Django 6, so this
# gives tests the same Task/TaskResult classes as production, for our tasks and Wagtail's.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
NOTIFY_SMS_BACKEND = "portal.notify.RecordingSMSBackend"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
PORTAL_DEMO_ACCOUNTS = True
# One folder per xdist worker: a worker that finishes removes its own files, never another's.
TEST_ARTIFACTS = BASE_DIR / "test-artifacts" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
MEDIA_ROOT = TEST_ARTIFACTS / "media"
PRIVATE_MEDIA_ROOT = TEST_ARTIFACTS / "private_media"
PROTECTED_MEDIA_ROOT = TEST_ARTIFACTS / "protected_media"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
# A Redis URL for the tests that prove shared state works across processes (CI sets it).
TEST_REDIS_URL = env("REDIS_URL")
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Off for the suite at large (it logs users in with force_login); the sign-in tests turn it on.
PORTAL_REQUIRE_2FA = env_bool("PORTAL_REQUIRE_2FA", False)
# Tests move the clock (freezegun) after logging in: the session limits are off unless a test
# turns them on (tests/portal/security/test_idle_timeout.py).
PORTAL_IDLE_TIMEOUT = env_int("PORTAL_IDLE_TIMEOUT", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the live server's threads (browser tests,
    # threaded tests) then have their own connections and transactions, as in production; on
    # in-memory SQLite they would all share the test's one connection. No fsync: a test database.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"sunshine-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )

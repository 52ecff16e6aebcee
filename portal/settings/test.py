"""Boring, fast, deterministic test settings. DATABASE_URL still picks PostgreSQL (CI) or SQLite."""

from .base import *  # noqa: F403
from .base import env

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
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "test-artifacts" / "private_media"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
# A Redis URL for the tests that prove shared state works across processes (CI sets it).
TEST_REDIS_URL = env("REDIS_URL")
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

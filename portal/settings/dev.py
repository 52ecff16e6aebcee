"""Local development: DEBUG on, an insecure key unless one is given, demo accounts allowed."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"  # noqa: S105
PORTAL_DEMO_ACCOUNTS = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Django's own immediate backend (same Task classes as production's django_tasks_db; see test.py).
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")}
}
# Readable on the console: decoded headers and UTF-8 bodies, not base64 (portal/notify/console_mail.py).
MAILERS = {"default": {"BACKEND": "portal.notify.console_mail.ReadableConsoleBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
NOTIFY_SMS_BACKEND = "portal.notify.ConsoleSMSBackend"
# The demo accounts sign in with their password alone unless PORTAL_REQUIRE_2FA=1 (README).
PORTAL_REQUIRE_2FA = env_bool("PORTAL_REQUIRE_2FA", False)

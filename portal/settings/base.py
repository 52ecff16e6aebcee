"""Settings shared by every environment. Everything that differs between machines comes from the
environment (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, REDIS_URL, ...); dev/test/production only
choose defaults."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "disclosure",
    "services",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: a body shorter than its Content-Length is refused whole (portal/security/body.py).
    "portal.security.body.RequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside session, CSRF, locale and CSP: sees the cookies and headers they add.
    "portal.frontcache.middleware.FrontCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.twofactor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.security.middleware.SecurityHeadersMiddleware",
    "portal.security.middleware.LoginThrottleMiddleware",
    "portal.editorial.middleware.PrePublishCheckMiddleware",
    "portal.editorial.middleware.SeparationOfDutiesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL picks it; an embedded SQLite file by default so one command runs the site.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests on SQLite: wait for the write lock instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search index uses GIN indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and shared rate-limit state: Redis when REDIS_URL is set, process memory otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "sunshine"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sunshine",
        }
    }

# Front cache (portal/frontcache/, docs/operations.md): public answers carry
# `Cache-Control: public, max-age=FRONT_CACHE_MAX_AGE, s-maxage=FRONT_CACHE_S_MAXAGE` and are purged
# on every change. VARNISH_URLS (comma-separated, one per Varnish instance) sends the purges there;
# without it the app caches those answers itself in the cache above (FRONT_CACHE_APP).
FRONT_CACHE_MAX_AGE = env_int("FRONT_CACHE_MAX_AGE", 60)
FRONT_CACHE_S_MAXAGE = env_int("FRONT_CACHE_S_MAXAGE", 600)
VARNISH_URLS = env_list("VARNISH_URLS")
FRONT_CACHE_APP = env_bool("FRONT_CACHE_APP", not VARNISH_URLS)
# Every change is banned twice: at commit, and again this many seconds later (a response rendered
# from the old rows during the commit may be stored after the first ban). 0 turns it off.
FRONT_CACHE_REBAN_SECONDS = env_int("FRONT_CACHE_REBAN_SECONDS", 5)
WAGTAILFRONTENDCACHE = {
    f"varnish{i}": {"BACKEND": "portal.frontcache.backends.VarnishBackend", "LOCATION": url}
    for i, url in enumerate(VARNISH_URLS)
}
if FRONT_CACHE_APP:
    WAGTAILFRONTENDCACHE["app"] = {"BACKEND": "portal.frontcache.backends.AppCacheBackend"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first; English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale_overrides/ first: the zh_Hans strings Wagtail ships untranslated (issue 14), which win over
# every app's catalogue; locale/ for the project's own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "media")
# Citizens' uploads live outside MEDIA_ROOT and have no URL: only staff views stream them.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")
# Wagtail images of private collections (originals and renditions) live here, outside MEDIA_ROOT,
# and are served only through Django's check (portal/media/). nginx serves /media/images/ only.
PROTECTED_MEDIA_ROOT = Path(env("PROTECTED_MEDIA_ROOT") or BASE_DIR / "protected_media")
STORAGES = {
    "default": {"BACKEND": "portal.media.storage.PortalMediaStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Size limits, one consistent set (docs/operations.md "Limits"): a file ≤ UPLOAD_MAX_FILE_BYTES;
# a request ≤ REQUEST_MAX_BYTES = the most materials a guide asks for × the file limit + 1 MB of
# form fields (6 materials: the largest demo guide asks for 4, so 6 leaves room; 6 × 10 MB + 1 MB
# = 61 MB); nginx's
# client_max_body_size (deploy/nginx/proxy.conf) is 64m, just above it. Form fields and JSON
# bodies are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file.
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_MB", 10) * 1024 * 1024
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 6)
REQUEST_MAX_BYTES = UPLOAD_MAX_FILES * UPLOAD_MAX_FILE_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * UPLOAD_MAX_FILES

# Wagtail
WAGTAIL_SITE_NAME = "阳光政务"  # also the sender's name in notification mail
# The admin's own name, 阳光政务管理后台, is in portal/templates/wagtailadmin/ (admin_base, login, home).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.security.forms.PortalLoginForm"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The 受理回执 PDF's CJK font file; found among the usual system fonts when unset (services/checks.py).
RECEIPT_CJK_FONT = env("RECEIPT_CJK_FONT") or None
# 办事指南汇编 (services/booklets/): up to this many guides a booklet is built in the request, larger
# ones by the task worker; a built booklet is kept this long at most (a guide's change ends it).
BOOKLET_INLINE_MAX = int(env("BOOKLET_INLINE_MAX", "30"))
BOOKLET_KEEP_SECONDS = int(env("BOOKLET_KEEP_SECONDS", str(30 * 24 * 3600)))
# Documents are always served through Django (portal/media/views.py decides who may see one);
# with MEDIA_X_ACCEL (nginx in front) Django answers with X-Accel-Redirect to an internal
# location and nginx sends the bytes (deploy/nginx/media.conf).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Collections (and their sub-collections) whose documents are public without a live page.
WAGTAILDOCS_PUBLIC_COLLECTIONS = env_list("PUBLIC_DOCUMENT_COLLECTIONS")
MEDIA_X_ACCEL = env_bool("MEDIA_X_ACCEL", False)
MEDIA_X_ACCEL_DOCUMENTS_URL = "/_internal/documents/"
MEDIA_X_ACCEL_PROTECTED_URL = "/_internal/protected/"
WAGTAILDOCS_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "wps", "et", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": env("SEARCH_BACKEND", "wagtail.search.backends.database")},
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
# Review notifications go to the groups of the task at hand (an organisation's 初审 or 终审), never
# to every superuser (portal/editorial/setup.py).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# The 终审 approval publishes, although the approver has no publish permission (nobody but
# superusers has it, so nothing skips review).
WAGTAIL_FINISH_WORKFLOW_ACTION = "portal.editorial.workflow_finish.publish_approved"
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Background tasks: a database queue worked by `manage.py db_worker` (see docs/operations.md).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Alerts (portal/alerts/, docs/operations.md): the public address in the mails' links (default
# WAGTAILADMIN_BASE_URL), how long a confirmation link lives, how long changes are kept.
ALERTS_BASE_URL = env("ALERTS_BASE_URL", "")
ALERTS_CONFIRM_DAYS = env_int("ALERTS_CONFIRM_DAYS", 3)
ALERTS_KEEP_DAYS = env_int("ALERTS_KEEP_DAYS", 30)
# The lobby kiosk (services/kiosk/): seconds without a touch before it returns to the start screen,
# and the longest a lookup answer stays on screen.
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 90)
KIOSK_RESULT_SECONDS = env_int("KIOSK_RESULT_SECONDS", 60)

# Notifications (portal/notify/, docs/operations.md): retry delays in seconds after each failed
# attempt, and the signed HTTP SMS gateway (NOTIFY_SMS_BACKEND=portal.notify.gateway.HttpSMSBackend).
NOTIFY_RETRY_DELAYS = [int(d) for d in env_list("NOTIFY_RETRY_DELAYS", "60,300,1800,7200,43200")]
SMS_GATEWAY = {
    "url": env("SMS_GATEWAY_URL", ""),
    "key_id": env("SMS_GATEWAY_KEY_ID", ""),
    "secret": env("SMS_GATEWAY_SECRET", ""),
    "sign_name": env("SMS_GATEWAY_SIGN_NAME", ""),
    # case_accepted=SMS_1001,case_completed=SMS_1002,*=SMS_1000 (* for any other template)
    "templates": dict(
        item.split("=", 1) for item in env_list("SMS_GATEWAY_TEMPLATES") if "=" in item
    ),
    "timeout": float(env("SMS_GATEWAY_TIMEOUT", "5") or 5),
    "retryable_codes": env_list("SMS_GATEWAY_RETRYABLE_CODES", "THROTTLED,BUSY,SYSTEM_ERROR"),
}

# Security baseline, for every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The Wagtail admin's own policy: its few inline scripts carry the nonce
# (portal/security/admin_csp.py); inline styles remain (docs/operations.md says why).
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-src": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

# The client behind the proxies (portal/security/ratelimit.py `client_ip`), for every per-client
# limit: a list of proxy networks, or the number of proxies that add to X-Forwarded-For. Both
# unset: REMOTE_ADDR. Production defaults to 2 (nginx sets X-Forwarded-For, Varnish appends).
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES")
PORTAL_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 0)

# Query codes: HMAC-SHA256 keys "id:secret", newest first (portal/cases/codes.py); unset → a key
# derived from SECRET_KEY.
QUERY_CODE_KEYS = env_list("QUERY_CODE_KEYS")

# Submissions (applications, disclosure requests, complaints; web and API) per day (Beijing
# time), per client address and per applicant (ID number / credit code / complainant phone).
SUBMISSION_QUOTAS = {
    "client_count": env_int("SUBMISSION_QUOTA_CLIENT_COUNT", 30),
    "client_bytes": env_int("SUBMISSION_QUOTA_CLIENT_MB", 300) * 1024 * 1024,
    "applicant_count": env_int("SUBMISSION_QUOTA_APPLICANT_COUNT", 10),
    "applicant_bytes": env_int("SUBMISSION_QUOTA_APPLICANT_MB", 200) * 1024 * 1024,
}

# Admin login throttling: failed logins per client address and per username.
LOGIN_THROTTLE = {"limit": env_int("LOGIN_THROTTLE_LIMIT", 5), "window": 15 * 60}
LOGIN_URL = "wagtailadmin_login"

# Staff sign-in (docs/operations.md, 登录与会话): a second factor (TOTP, django-otp) after the
# password for every account, idle sessions end after PORTAL_IDLE_TIMEOUT seconds without a
# request, and SESSION_COOKIE_AGE stays the absolute limit.
PORTAL_REQUIRE_2FA = env_bool("PORTAL_REQUIRE_2FA", True)
PORTAL_IDLE_TIMEOUT = env_int("PORTAL_IDLE_TIMEOUT", 30 * 60)
OTP_TOTP_ISSUER = "阳光政务"
PORTAL_RECOVERY_CODE_COUNT = 10

# 监督投诉: working days a complaint must be answered within, counted from the day after receipt.
COMPLAINT_HANDLING_DAYS = env_int("COMPLAINT_HANDLING_DAYS", 15)

# 预约办理 (services/appointments): bookings open `open_days` days ahead and close `close_hours`
# before the slot; `no_show_limit` no-shows within `no_show_days` days stop new bookings by that ID
# number; `book_per_client` bookings per client address per hour.
APPOINTMENTS = {
    "open_days": env_int("APPOINTMENTS_OPEN_DAYS", 30),
    "close_hours": env_int("APPOINTMENTS_CLOSE_HOURS", 2),
    "no_show_limit": env_int("APPOINTMENTS_NO_SHOW_LIMIT", 3),
    "no_show_days": env_int("APPOINTMENTS_NO_SHOW_DAYS", 180),
    "book_per_client": env_int("APPOINTMENTS_BOOK_PER_CLIENT", 20),
}

# 依申请公开 补正: the period given to the applicant in the notice (条例 Art. 30, "合理的补正期限"),
# in working days after the notice day: the default the form proposes and the limits staff may
# choose within. The period is recorded with each notice; (六)1 逾期不补正 needs it to have passed.
DISCLOSURE_CORRECTION_PERIOD = {
    "default": env_int("DISCLOSURE_CORRECTION_PERIOD_DAYS", 15),
    "min": env_int("DISCLOSURE_CORRECTION_PERIOD_MIN", 5),
    "max": env_int("DISCLOSURE_CORRECTION_PERIOD_MAX", 30),
}

# 好差评结果公开: below this many ratings in a cell no rate (好评率, 差评整改率, average time to close)
# is published, only the counts.
RATINGS_PUBLISH_MINIMUM = env_int("RATINGS_PUBLISH_MINIMUM", 10)
# 随机问卷 (portal/surveys): the secret part of every monthly draw's seed (keep it to reproduce a
# draw), and the number of sampled cases / answers below which no rate is published.
SURVEY_SEED = env("SURVEY_SEED", "sunshine-surveys")
SURVEY_PUBLISH_MINIMUM = env_int("SURVEY_PUBLISH_MINIMUM", RATINGS_PUBLISH_MINIMUM)

# Demo accounts are only ever created where this is on (dev); production refuses them.
PORTAL_DEMO_ACCOUNTS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "portal.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

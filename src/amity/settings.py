"""Amity settings: everything comes from the environment, with safe defaults for
the embedded (laptop, SQLite) mode."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("AMITY_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {os.environ[name]!r}") from None


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "amity.core",
    "amity.org",
    "amity.events",
    "amity.customers",
    "amity.activities",
    "amity.sales",
    "amity.integrations",
    "amity.automation",
    "amity.collaboration",
    "amity.api",
    "amity.web",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dal",
    "dal_alight",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "taggit",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amity.core.middleware.UserLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amity.api.idempotency.IdempotencyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amity.urls"
WSGI_APPLICATION = "amity.wsgi.application"

# Form widgets render through Jinja2: Django's own widget templates, compiled, cost a
# fraction of the template engine's per-option includes on every list page's filter form.
FORM_RENDERER = "django.forms.renderers.Jinja2"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amity.web.context.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amity.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers and one writer work at once; IMMEDIATE transactions take the
    # write lock up front so a busy writer waits (timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("AMITY_TEST_SQLITE") or None}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing: ten wrong passwords for one user name from one address lock that pair
# out for 15 minutes (a colleague's typos elsewhere do not lock the account; see
# docs/operations.md for proxies). API tokens are not passwords and are not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("AMITY_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)  # registration/locked_out.html says 15
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- security headers -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
if SECURE_SSL_REDIRECT:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("th", _("Thai")),
    ("fa", _("Persian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True
# plotly.js comes from the plotly package (amity.web.plotly_finder), not a CDN.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "amity.web.plotly_finder.PlotlyFinder",
]
WHITENOISE_AUTOREFRESH = DEBUG

# --- email ----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    # The same backend plus SMTPUTF8, for addresses written in Thai or Chinese before the @.
    EMAIL_BACKEND = "amity.integrations.smtp_backend.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Amity <amity@localhost>")

# --- email in -------------------------------------------------------------------
# A message larger than this (raw bytes) is rejected whole; an attachment larger than
# its limit is refused and the rest of the message kept.
MAIL_IN_MAX_MESSAGE_BYTES = _env_int("AMITY_MAIL_IN_MAX_MESSAGE_BYTES", 40 * 1024 * 1024)
MAIL_IN_MAX_ATTACHMENT_BYTES = _env_int("AMITY_MAIL_IN_MAX_ATTACHMENT_BYTES", 15 * 1024 * 1024)
MAIL_IN_IMAP_TIMEOUT = _env_int("AMITY_MAIL_IN_IMAP_TIMEOUT", 30)  # seconds per operation
MAIL_IN_POLL_BATCH = _env_int("AMITY_MAIL_IN_POLL_BATCH", 500)  # messages per poll at most
# A customer's email nobody answered in this many hours tells the contact's owner (0: off).
EMAIL_REPLY_HOURS = _env_int("AMITY_EMAIL_REPLY_HOURS", 24)
if EMAIL_REPLY_HOURS < 0:
    raise ValueError("AMITY_EMAIL_REPLY_HOURS must be 0 (off) or a number of hours")
# Extra CA certificates (PEM) to trust for IMAP servers with a private CA.
MAIL_IN_CA_FILE = os.environ.get("AMITY_MAIL_IN_CA_FILE", "")

# --- background work ------------------------------------------------------------
# django-tasks-db, plus a state row per task (amity.core.jobs: retries, dead letters).
TASKS = {"default": {"BACKEND": "amity.core.jobs.backend.DatabaseBackend",
                     "QUEUES": ["default"]}}
# A worker silent this long is taken for dead and its running task is tried again. Every
# worker of one database should use the same value.
WORKER_LEASE_SECONDS = _env_int("AMITY_WORKER_LEASE_SECONDS", 60)
# The longest wait between two tries of a failing task.
TASK_MAX_BACKOFF_SECONDS = _env_int("AMITY_TASK_MAX_BACKOFF_SECONDS", 3600)
# Finished tasks (and their attempts) are deleted after this many days.
TASK_RETENTION_DAYS = _env_int("AMITY_TASK_RETENTION_DAYS", 30)
# Days kept by the nightly prune (core.retention): notifications once read, webhook
# deliveries once delivered or given up, the development SMS backend's recorded messages.
NOTIFICATION_RETENTION_DAYS = _env_int("AMITY_NOTIFICATION_RETENTION_DAYS", 180)
WEBHOOK_DELIVERY_RETENTION_DAYS = _env_int("AMITY_WEBHOOK_DELIVERY_RETENTION_DAYS", 30)
RECORDED_SMS_RETENTION_DAYS = _env_int("AMITY_RECORDED_SMS_RETENTION_DAYS", 30)
# The weekly forecast snapshots (sales.forecast_snapshots): a year and a quarter.
FORECAST_SNAPSHOT_RETENTION_DAYS = _env_int("AMITY_FORECAST_SNAPSHOT_RETENTION_DAYS", 460)
for _name in ("WORKER_LEASE_SECONDS", "TASK_MAX_BACKOFF_SECONDS", "TASK_RETENTION_DAYS",
              "NOTIFICATION_RETENTION_DAYS", "WEBHOOK_DELIVERY_RETENTION_DAYS",
              "RECORDED_SMS_RETENTION_DAYS", "FORECAST_SNAPSHOT_RETENTION_DAYS"):
    if globals()[_name] < 1:
        raise ValueError(f"AMITY_{_name} must be a whole number of 1 or more")

# --- webhooks and SMS (integrations) ---------------------------------------------
# Requests to addresses users typed: connect timeout and whole-request deadline
# (seconds), and how much of an answer is read.
AMITY_OUTBOUND_CONNECT_TIMEOUT = float(os.environ.get("AMITY_OUTBOUND_CONNECT_TIMEOUT", "3"))
AMITY_OUTBOUND_TIMEOUT = float(os.environ.get("AMITY_OUTBOUND_TIMEOUT", "10"))
AMITY_OUTBOUND_MAX_RESPONSE_BYTES = _env_int("AMITY_OUTBOUND_MAX_RESPONSE_BYTES", 4096)
# A PEM bundle of CAs to trust for https targets instead of the system's (an internal CA).
AMITY_OUTBOUND_CA_FILE = os.environ.get("AMITY_OUTBOUND_CA_FILE", "")
# "development" records messages (Admin -> SMS); "http" posts JSON to a provider.
# The organisation's currency: totals across records in several currencies are shown in it.
AMITY_CURRENCY = os.environ.get("AMITY_CURRENCY", "USD")
AMITY_SMS_BACKEND = os.environ.get("AMITY_SMS_BACKEND", "development")
AMITY_SMS_HTTP_URL = os.environ.get("AMITY_SMS_HTTP_URL", "")
AMITY_SMS_HTTP_API_KEY = os.environ.get("AMITY_SMS_HTTP_API_KEY", "")
AMITY_SMS_HTTP_API_KEY_HEADER = os.environ.get("AMITY_SMS_HTTP_API_KEY_HEADER", "X-Api-Key")
AMITY_SMS_HTTP_ALLOW_PRIVATE = _env_bool("AMITY_SMS_HTTP_ALLOW_PRIVATE", False)
AMITY_SMS_SENDER_ID = os.environ.get("AMITY_SMS_SENDER_ID", "Amity")
# Delivery status callbacks are signed with this secret (Amity-Signature header).
AMITY_SMS_CALLBACK_SECRET = os.environ.get("AMITY_SMS_CALLBACK_SECRET", "")

# Largest file a user may upload for import (bytes).
IMPORT_MAX_FILE_BYTES = int(os.environ.get("AMITY_IMPORT_MAX_FILE_BYTES", str(100 * 1024 * 1024)))

# --- notifications --------------------------------------------------------------
# Where users reach Amity, for the links in notification emails.
AMITY_BASE_URL = os.environ.get("AMITY_BASE_URL", "http://localhost:8000")
# How often the bell in the header asks for the unread count (seconds).
NOTIFICATION_POLL_SECONDS = _env_int("AMITY_NOTIFICATION_POLL_SECONDS", 30)

# --- libraries ------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "web/_table.html"
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"amity": {"level": os.environ.get("LOG_LEVEL", "INFO")}},
}

# "VIP" and "vip" are one tag.
TAGGIT_CASE_INSENSITIVE = True
# Tags typed as "a, b; c" in any script (see core.tags).
TAGGIT_TAGS_FROM_STRING = "amity.core.tags.parse_tags"
TAGGIT_STRING_FROM_TAGS = "amity.core.tags.tags_text"

# Activities: "Contacted by … on …" shows another rep's activity with the customer from
# this many days back.
AMITY_RECENT_CONTACT_DAYS = _env_int("AMITY_RECENT_CONTACT_DAYS", 14)
# Quotes: a discount (% of the list price, a line's or the whole quote's) above this needs
# a sales manager's approval before the quote can be sent.
QUOTE_APPROVAL_DISCOUNT = os.environ.get("AMITY_QUOTE_APPROVAL_DISCOUNT", "15")
# How long the accept/decline link in a sent quote works at most (its validity date ends
# it earlier).
QUOTE_LINK_MAX_AGE_DAYS = _env_int("AMITY_QUOTE_LINK_MAX_AGE_DAYS", 90)
# --- Leads ----------------------------------------------------------------------
# Web-to-lead forms: a form sent sooner than this after it was shown is refused as a bot;
# one shown longer ago than the maximum asks to be sent again.
LEAD_FORM_MIN_SECONDS = int(os.environ.get("AMITY_LEAD_FORM_MIN_SECONDS", "3"))
LEAD_FORM_MAX_AGE_SECONDS = int(os.environ.get("AMITY_LEAD_FORM_MAX_AGE_SECONDS", "86400"))
# Posts to any web-to-lead form per client address (django-ratelimit syntax).
LEAD_FORM_RATE = os.environ.get("AMITY_LEAD_FORM_RATE", "20/h")
# Rows one lead import may hold: it runs in the request, all or nothing (about 20 ms a
# row), so larger files belong to a background import.
LEAD_IMPORT_MAX_ROWS = int(os.environ.get("AMITY_LEAD_IMPORT_MAX_ROWS", "1000"))

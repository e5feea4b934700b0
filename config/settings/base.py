"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LANGSO_VAR_DIR", BASE_DIR / "var"))

DEBUG = False
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db so that its `db_worker` (with a heartbeat) is the one run.
    "langso.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "langso.places",
    "langso.people",
    "langso.procedures",
    "langso.documents",
    "langso.economy",
    "langso.trace",
    "langso.society",
    "langso.engage",
    "langso.monitor",
    "langso.site",
]

MIDDLEWARE = [
    "langso.core.observability.ObservabilityMiddleware",
    "langso.core.unavailable.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "langso.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "langso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "langso.core.middleware.ApiCsrfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "langso.people.sessions.SessionLimitMiddleware",
    "langso.core.uploads.RequestSizeLimitMiddleware",
    "langso.core.middleware.InputIntegrityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "langso.core.middleware.RequestContextMiddleware",
    "langso.core.domain_errors.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A refused CSRF token: a Vietnamese page that says to reload, not Django's English one.
# The commune this installation serves (a 2025 commune code): the home page shows it.
LANGSO_HOME_COMMUNE = os.environ.get("LANGSO_HOME_COMMUNE", "05641")
CSRF_FAILURE_VIEW = "langso.core.error_pages.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "langso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "langso.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL (`DATABASE_URL= command`) means the default, as if unset.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'langso.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A connection broken by a database restart is dropped and reopened, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
# Argon2id first (langso/core/hashers.py); PBKDF2 hashes of older accounts still verify and
# are upgraded at their next login.
PASSWORD_HASHERS = [
    "langso.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "langso.core.lockout.AccountLockoutBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Single sign-on (OpenID Connect) providers beside local accounts: docs/sso.md.
from langso.core.oidc_env import providers_from_env  # noqa: E402

LANGSO_OIDC_PROVIDERS = providers_from_env(os.environ)

# Officials' sessions end after 30 minutes idle and 12 hours in all; residents keep
# SESSION_COOKIE_AGE (two weeks). langso/people/sessions.py.
LANGSO_OFFICIAL_SESSION_IDLE_SECONDS = int(
    os.environ.get("LANGSO_OFFICIAL_SESSION_IDLE_SECONDS", 30 * 60)
)
LANGSO_OFFICIAL_SESSION_MAX_SECONDS = int(
    os.environ.get("LANGSO_OFFICIAL_SESSION_MAX_SECONDS", 12 * 3600)
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection: 5 failures on one username from one address lock it for 15 minutes
# (django-axes); 20 failures on one username from any addresses lock the account for 15
# minutes (langso/core/lockout.py). The address is langso.core.ratelimit.client_ip, the
# same as the rate limits': REMOTE_ADDR, or behind LANGSO_TRUSTED_PROXY_COUNT proxies the
# address the outermost one saw.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "langso.core.ratelimit.client_address"
LANGSO_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LANGSO_ACCOUNT_FAILURE_LIMIT", "20"))
LANGSO_ACCOUNT_LOCK_SECONDS = 15 * 60
# Its log lines name the address and the path, not the user name (a phone number, an e-mail).
AXES_CLIENT_STR_CALLABLE = "langso.core.logprivacy.axes_client_str"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "langso" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "langso" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "langso" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LANGSO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads (langso/core/uploads.py checks every file by content). Files above 2.5 MB go to a
# temporary file, not memory; non-file bodies (JSON, form fields) are capped at 10 MB; a
# request declaring more than LANGSO_MAX_REQUEST_BYTES is refused with 413 before reading.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
LANGSO_MAX_REQUEST_BYTES = int(os.environ.get("LANGSO_MAX_REQUEST_BYTES", 60 * 1024 * 1024))
LANGSO_UPLOAD_MAX_BYTES: dict[str, int] = {}  # per kind, e.g. {"pdf": 30 * 1024 * 1024}
LANGSO_UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
# Rate limits (langso/core/ratelimit.py): requests per minute and client address, per scope.
LANGSO_RATE_LIMIT_ENABLED = True
LANGSO_RATE_LIMITS: dict[str, int] = {}  # e.g. {"auth.login": 10}; 0 switches a scope off
# Reverse proxies in front that append to X-Forwarded-For (0: trust only REMOTE_ADDR).
LANGSO_TRUSTED_PROXY_COUNT = int(os.environ.get("LANGSO_TRUSTED_PROXY_COUNT", "0"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# "trace_pages": the pre-rendered public scan pages (langso/trace/pages.py); in production
# both live in Redis, shared by every worker.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "trace_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "trace-pages",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
if os.environ.get("REDIS_URL"):
    # The scan pages may live in a Redis of their own (LANGSO_TRACE_REDIS_URL), bounded with
    # `maxmemory` and `allkeys-lru` so that cold batches are evicted, without evicting the
    # login lock-outs and rate-limit counters of the default cache (docs/production.md).
    CACHES = {
        alias: {"BACKEND": "langso.core.cache.RedisCache", "LOCATION": location}
        for alias, location in (
            ("default", os.environ["REDIS_URL"]),
            ("trace_pages", os.environ.get("LANGSO_TRACE_REDIS_URL") or os.environ["REDIS_URL"]),
        )
    }

# The console back-end is for development only: `langso check --deploy` refuses it
# (langso/core/checks.py); production.py defaults to SMTP.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "langso@localhost")

# Public base URL printed on QR codes and in e-mails (GS1 Digital Link host).
LANGSO_PUBLIC_URL = os.environ.get("LANGSO_PUBLIC_URL", "http://127.0.0.1:8000")
# Map tiles load in the user's browser; a province may host its own tile server.
LANGSO_TILE_URL = os.environ.get(
    "LANGSO_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
LANGSO_TILE_ATTRIBUTION = os.environ.get(
    "LANGSO_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
# Modules that expose `monitoring_figures(...)` (see langso/core/figures.py).
LANGSO_FIGURE_PROVIDERS = [
    "langso.people.queries",
    "langso.procedures.queries",
    "langso.documents.queries",
    "langso.economy.queries",
    "langso.trace.queries",
    "langso.society.queries",
    "langso.engage.queries",
]

# Observability (docs/production.md): /metrics answers these addresses, or any caller with
# `Authorization: Bearer $LANGSO_METRICS_TOKEN`; /readyz calls a worker stale after this.
LANGSO_METRICS_ALLOWED_IPS = [
    ip for ip in os.environ.get("LANGSO_METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if ip
]
LANGSO_METRICS_TOKEN = os.environ.get("LANGSO_METRICS_TOKEN", "")
LANGSO_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("LANGSO_WORKER_HEARTBEAT_SECONDS", "10"))
LANGSO_WORKER_STALE_SECONDS = float(os.environ.get("LANGSO_WORKER_STALE_SECONDS", "60"))

# Every handler carries the personal-data filter (langso/core/logprivacy.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "langso.core.logprivacy.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Announcement delivery gateways (langso/engage/channels). Without LANGSO_SMS_URL /
# LANGSO_ZALO_ACCESS_TOKEN the fake gateways are used: nothing leaves the machine.
LANGSO_ENGAGE_GATEWAYS: dict[str, str] = {}
if os.environ.get("LANGSO_SMS_URL"):
    LANGSO_ENGAGE_GATEWAYS["sms"] = "langso.engage.channels.sms.BrandnameSmsGateway"
if os.environ.get("LANGSO_ZALO_ACCESS_TOKEN"):
    LANGSO_ENGAGE_GATEWAYS["zalo"] = "langso.engage.channels.zalo.ZaloZnsGateway"
LANGSO_ENGAGE_SMS = {
    "url": os.environ.get("LANGSO_SMS_URL", ""),
    "api_key": os.environ.get("LANGSO_SMS_API_KEY", ""),
    "secret_key": os.environ.get("LANGSO_SMS_SECRET_KEY", ""),
    "brandname": os.environ.get("LANGSO_SMS_BRANDNAME", ""),
    "sms_type": os.environ.get("LANGSO_SMS_TYPE", "2"),
}
LANGSO_ENGAGE_ZALO = {
    "access_token": os.environ.get("LANGSO_ZALO_ACCESS_TOKEN", ""),
    "template_id": os.environ.get("LANGSO_ZALO_TEMPLATE_ID", ""),
}

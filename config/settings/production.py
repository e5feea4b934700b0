"""Production: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment (50+ random characters) in production."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# Probes and the metrics scraper talk plain HTTP to the server itself, behind the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Redis is the cache in production: several server processes (and the worker) must share
# cached pages, rate-limit counters and the readiness probe's key. base.py switches to
# django's RedisCache when REDIS_URL is set (redis-py with hiredis).
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production, e.g. redis://127.0.0.1:6379/0."
    )

# E-mail (announcements, water alerts) leaves through the province's SMTP relay
# (docs/production.md). `langso check --deploy` refuses a back-end that delivers nothing.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"  # implicit TLS, port 465
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1" and not EMAIL_USE_SSL  # STARTTLS
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Hashed and pre-compressed static files (run `langso collectstatic` at each release);
# WhiteNoise serves them with far-future cache headers.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line on standard error, for the journal or the container runtime.
# The access line comes from langso.core.observability (one per request, no query string);
# the server's own access log is off (see `langso serve`).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "langso.core.observability.RequestIdFilter"},
        "personal_data": {"()": "langso.core.logprivacy.PersonalDataFilter"},
    },
    "formatters": {"json": {"()": "langso.core.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # 4xx/5xx are already in the access line; keep django.request for 5xx tracebacks.
        "django.request": {"level": "ERROR"},
        "django_tasks_db": {"level": "INFO"},
        "django_tasks": {"level": "INFO"},
    },
}

# The demo's test identity provider (langso.people.demo_idp) is never served in production.
LANGSO_DEMO_IDP = False

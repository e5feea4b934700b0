"""Production settings for bench/load_mix.py and bench/faults/: DEBUG off, PostgreSQL,
Redis cache, the database task backend; plain HTTP on loopback.

Differences from a real deployment, all because the load comes from one address over
plain HTTP: the rate limits are raised (LANGSO_RATE_LIMITS), the HTTPS redirect is off.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings.production import *  # noqa: F403

# Every client of the bench is 127.0.0.1: per-address limits would throttle the bench
# itself, not model a province's traffic. Raised, not removed, so the code path runs.
LANGSO_RATE_LIMITS = {name: (1_000_000, 60) for name in (
    "login", "track", "scan", "public_form", "api", "upload", "default")}
AXES_ENABLED = False  # the same demo accounts log in from one address thousands of times
# Warnings (the 503 line) and server errors go to stderr, i.e. gunicorn's error log.
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR"},
        "langso": {"handlers": ["stderr"], "level": "WARNING"},
    },
}
# A worker killed in bench/faults/worker_killed.py leaves rows behind; recover them soon.
LANGSO_ENGAGE_STALE_AFTER_SECONDS = int(os.environ.get("LANGSO_ENGAGE_STALE_AFTER_SECONDS",
                                                       "600"))
if os.environ.get("LANGSO_BENCH_GATEWAYS") == "durable":
    LANGSO_ENGAGE_GATEWAYS = {
        channel: "durable_gateway.DurableFakeGateway" for channel in ("sms", "zalo", "email")}

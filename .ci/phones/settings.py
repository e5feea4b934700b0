"""Production settings for the phone-page checks (.ci/phones.sh): DEBUG off, hashed and
pre-compressed static files served by WhiteNoise, the demo's SQLite database.

Differences from a deployment, because CI has one machine and plain HTTP: the cache is in
process memory instead of Redis (CI may have no Redis), the HTTPS redirect is off.
"""

import os

os.environ.setdefault("SECRET_KEY", "phones-check-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("REDIS_URL", "redis://unused")  # production.py requires it; see CACHES

from config.settings.production import *  # noqa: F403

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "trace_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "trace-pages",
    },
}

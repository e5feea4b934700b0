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
# itself, not model a province's traffic. Every scope is raised, not removed, so the code
# path runs (langso.core.ratelimit.limit_for reads LANGSO_RATE_LIMITS.get(scope, default)).


class _RaisedLimits(dict):
    def get(self, scope, default=None):
        return 1_000_000


LANGSO_RATE_LIMITS = _RaisedLimits()
AXES_ENABLED = False  # the same demo accounts log in from one address thousands of times
# Logging as production (config/settings/production.py): JSON lines on stderr, one access
# line per request with its duration (load_mix.py reads them for the server-side figures),
# tracebacks of server errors.
# A worker killed in bench/faults/worker_killed.py leaves rows behind; recover them soon.
LANGSO_ENGAGE_STALE_AFTER_SECONDS = int(os.environ.get("LANGSO_ENGAGE_STALE_AFTER_SECONDS", "600"))
if os.environ.get("LANGSO_BENCH_GATEWAYS") == "durable":
    LANGSO_ENGAGE_GATEWAYS = {
        channel: "durable_gateway.DurableFakeGateway" for channel in ("sms", "zalo", "email")
    }

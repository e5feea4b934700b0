"""Production settings plus a URLconf with one trivial view, for bench/trace_scan.py."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "trace_bench_urls"
# server errors (5xx) go to stderr, i.e. gunicorn's error log, which the bench prints
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
# every wrk connection comes from 127.0.0.1: the scan page's per-address limit is raised
# (still counted, so its cost is in the figures)
LANGSO_RATE_LIMITS = {"trace.scan": 10**9}

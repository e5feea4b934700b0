"""Production settings plus a URLconf with one trivial view, for bench/trace_scan.py."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "trace_bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}

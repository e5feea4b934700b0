"""Production settings plus a URLconf with one trivial view, for bench/trace_scan.py."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "trace_bench_urls"
# Logging as in production: one JSON access line per request (to the server's stderr,
# which the bench keeps in a file and searches for errors).
# every wrk connection comes from 127.0.0.1: the scan page's per-address limit is raised
# (still counted, so its cost is in the figures)
LANGSO_RATE_LIMITS = {"trace.scan": 10**9}

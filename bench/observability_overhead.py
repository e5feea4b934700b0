"""Benchmark: what ObservabilityMiddleware adds to one request, in microseconds.

    .venv/bin/python bench/observability_overhead.py [--requests 20000]

Calls the middleware around a view that returns a prepared response, on a request already
resolved to the trace scan route, with production's JSON log formatter writing to
/dev/null; then the same without the access line (log level WARNING), and the bare view.
CPU only, one process: the figure to compare with a page's ~1-12 ms of rendering.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from langso.core.observability import JsonFormatter, ObservabilityMiddleware, RequestIdFilter

    path = "/01/08930000000017/10/LOT-7"
    request = RequestFactory().get(path, HTTP_X_REQUEST_ID="bench-1")
    request.resolver_match = resolve(path)
    response = HttpResponse(b"ok")
    middleware = ObservabilityMiddleware(lambda r: response)

    handler = logging.FileHandler(os.devnull)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("langso.request")
    logger.addHandler(handler)
    logger.propagate = False

    def run(call) -> float:
        start = time.perf_counter()
        for _ in range(args.requests):
            call(request)
        return (time.perf_counter() - start) / args.requests * 1e6

    bare = run(lambda r: response)
    logger.setLevel(logging.INFO)
    with_log = run(middleware)
    logger.setLevel(logging.WARNING)
    no_log = run(middleware)
    print(f"route {request.resolver_match.view_name}, {args.requests} requests")
    print(f"bare view                          {bare:7.2f} us")
    print(f"middleware, metrics only           {no_log:7.2f} us")
    print(f"middleware, metrics + JSON log     {with_log:7.2f} us")


if __name__ == "__main__":
    main()

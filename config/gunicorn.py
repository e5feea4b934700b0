"""gunicorn settings for `langso serve --server gunicorn` (granian is the default)."""

import os

accesslog = None  # the access line comes from langso.core.observability, in JSON
graceful_timeout = 30
timeout = 60
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "langso.core.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def child_exit(server, worker):
    """Let Prometheus drop the live gauges of a worker process that has gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

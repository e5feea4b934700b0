"""Readiness checks behind `/readyz` and the task gauges behind `/metrics`.

Each check answers "ok" or a short reason; none raises. `/healthz` uses none of them: it
only says the process answers.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from .worker import worker_status

logger = logging.getLogger("langso.health")


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Readiness: database unavailable.", exc_info=True)
        return "down"
    return "ok"


def check_cache() -> str:
    """Write, read back and delete a unique key: proves the cache server answers."""
    key = f"langso:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Readiness: cache unavailable.", exc_info=True)
        return "down"
    return "ok" if found == "1" else "down"


def uses_database_worker() -> bool:
    """True when tasks are queued in the database, so a `langso db_worker` must run."""
    try:
        return isinstance(task_backends["default"], DatabaseBackend)
    except Exception:
        return False


def check_worker() -> str:
    """ "ok", "stale" (heartbeat too old), "missing" (never seen) or "not-used"."""
    if not uses_database_worker():
        return "not-used"
    try:
        status, _age = worker_status()
    except Exception:
        logger.warning("Readiness: worker heartbeat unreadable.", exc_info=True)
        return "unknown"
    return status


HEALTHY = {"ok", "not-used"}


def readiness() -> tuple[bool, dict[str, str]]:
    components = {"database": check_database(), "cache": check_cache()}
    # Without a database the worker's heartbeat cannot be read.
    components["worker"] = check_worker() if components["database"] == "ok" else "unknown"
    return all(v in HEALTHY for v in components.values()), components

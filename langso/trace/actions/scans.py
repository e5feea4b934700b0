"""Counting scans of a batch's page per day and coarse place, without personal data.

A scan adds one to an in-process buffer; the buffer is written with one UPSERT per
(batch, day, place) at most every LANGSO_TRACE_SCAN_FLUSH_SECONDS (default 5), from a
background thread, so a crowd of scans costs a handful of writes and no visitor waits.
Nothing about the visitor (IP, user agent, cookie) is kept; the place is a province
code the visitor chose to give (`?tinh=19`), or unknown.
"""

import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: Counter = Counter()
_last_flush = time.monotonic()

_UPSERT = ("INSERT INTO trace_scancount (batch_id, day, province_code, count) VALUES {rows} "
           "ON CONFLICT (batch_id, day, province_code) "
           "DO UPDATE SET count = trace_scancount.count + excluded.count")
_CHUNK = 500


def count_scan(*, batch_id: int, province_code: str = "", moved_from_unknown: bool = False,
               flush: bool | None = None) -> None:
    """Count one scan. `moved_from_unknown`: the visitor just told us the province of a
    scan already counted as unknown, so the scan moves rather than counts twice."""
    global _last_flush
    day = timezone.localdate()
    with _lock:
        _buffer[(batch_id, day, province_code)] += 1
        if moved_from_unknown and province_code:
            _buffer[(batch_id, day, "")] -= 1
        interval = getattr(settings, "LANGSO_TRACE_SCAN_FLUSH_SECONDS", 5)
        due = time.monotonic() - _last_flush >= interval
    if flush:
        flush_scan_counts()
    elif flush is None and due:
        if getattr(settings, "LANGSO_TRACE_SCAN_FLUSH_IN_BACKGROUND", True):
            _flush_in_background()
        else:  # tests: inside the test's transaction
            flush_scan_counts()


_flusher: threading.Thread | None = None


def _flush_in_background() -> None:
    """Write the counts from a thread of its own, so that no visitor's request waits for
    the UPSERT (with a crowd on many batches it carries thousands of rows)."""
    global _flusher, _last_flush
    with _lock:
        if _flusher is not None and _flusher.is_alive():
            return
        _last_flush = time.monotonic()  # one flush per interval, even while it runs

        def run():
            try:
                flush_scan_counts()
            finally:
                connection.close()  # this thread's own connection

        _flusher = threading.Thread(target=run, name="scan-count-flush", daemon=True)
        _flusher.start()


def flush_scan_counts() -> int:
    """Write the buffered counts; returns how many rows were upserted.

    One statement per chunk, rows sorted by key: two workers flushing at the same moment
    lock rows in the same order, so they wait for each other instead of deadlocking. If the
    database refuses, the counts go back to the buffer: counting never breaks the page."""
    global _buffer, _last_flush
    with _lock:
        items, _buffer = _buffer, Counter()
        _last_flush = time.monotonic()
    rows = sorted((b, d, p, n) for (b, d, p), n in items.items() if n)
    try:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start:start + _CHUNK]
            sql = _UPSERT.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(chunk)))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [v for row in chunk for v in row])
    except DatabaseError:
        logger.warning("Scan counts not written; kept for the next flush.", exc_info=True)
        with _lock:
            for b, d, p, n in rows[start:]:
                _buffer[(b, d, p)] += n
        return start
    return len(rows)

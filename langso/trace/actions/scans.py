"""Counting scans of a batch's page per day and coarse place, without personal data.

A scan adds one to an in-process buffer; the buffer is written with one UPSERT per
(batch, day, place) at most every LANGSO_TRACE_SCAN_FLUSH_SECONDS (default 5), so a crowd
of scans costs a handful of writes. Nothing about the visitor (IP, user agent, cookie) is
kept; the place is a province code the visitor chose to give (`?tinh=19`), or unknown.
"""

import threading
import time
from collections import Counter

from django.conf import settings
from django.db import connection
from django.utils import timezone

_lock = threading.Lock()
_buffer: Counter = Counter()
_last_flush = time.monotonic()

_UPSERT = ("INSERT INTO trace_scancount (batch_id, day, province_code, count) "
           "VALUES (%s, %s, %s, %s) ON CONFLICT (batch_id, day, province_code) "
           "DO UPDATE SET count = trace_scancount.count + excluded.count")


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
    if flush or (flush is None and due):
        flush_scan_counts()


def flush_scan_counts() -> int:
    """Write the buffered counts; returns how many rows were upserted."""
    global _buffer, _last_flush
    with _lock:
        items, _buffer = _buffer, Counter()
        _last_flush = time.monotonic()
    rows = [(b, d, p, n) for (b, d, p), n in items.items() if n]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_UPSERT, rows)
    return len(rows)

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
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: Counter = Counter()
_last_flush = time.monotonic()

# One statement per (day, place) and chunk: the batch ids and their counts travel as two
# arrays, which costs the flushing thread far less time holding the GIL (and so the pages
# served meanwhile) than thousands of bound parameters (about 5x less for 7,000 rows).
_UPSERT = (
    "INSERT INTO trace_scancount (batch_id, day, province_code, count) "
    "SELECT b, %s, %s, n FROM unnest(%s::bigint[], %s::integer[]) AS u(b, n) ORDER BY b "
    "ON CONFLICT (batch_id, day, province_code) "
    "DO UPDATE SET count = trace_scancount.count + excluded.count"
)
_UPSERT_ROW = (
    "INSERT INTO trace_scancount (batch_id, day, province_code, count) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (batch_id, day, province_code) "
    "DO UPDATE SET count = trace_scancount.count + excluded.count"
)  # SQLite
_CHUNK = 5000


def count_scan(
    *,
    batch_id: int,
    province_code: str = "",
    moved_from_unknown: bool = False,
    flush: bool | None = None,
) -> None:
    """Count one scan. `moved_from_unknown`: the visitor just told us the province of a
    scan already counted as unknown, so the scan moves rather than counts twice."""
    global _last_flush
    day = _today()
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


#: (start, end, day): the local day of the instants from `start` to `end` (epoch seconds)
_day: tuple[float, float, date | None] = (0.0, 0.0, None)
clock = time.time  # replaced by a fake clock in tests, with timezone.now


def _today() -> date:
    """timezone.localdate(), read again only when the clock leaves the day it gave (a
    scan served from the cache costs a few dozen microseconds; localdate about ten)."""
    global _day
    now = clock()
    start, end, day = _day
    if start <= now < end and day is not None:
        return day
    day = timezone.localdate()
    zone = timezone.get_current_timezone()
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    _day = (midnight.timestamp(), (midnight + timedelta(days=1)).timestamp(), day)
    return day


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

    Rows are written in one order (day, place, batch): two workers flushing at the same
    moment lock rows in the same order, so they wait for each other instead of deadlocking.
    If the database refuses, the unwritten counts go back to the buffer: counting never
    breaks the page."""
    global _buffer, _last_flush
    with _lock:
        items, _buffer = _buffer, Counter()
        _last_flush = time.monotonic()
    groups: dict[tuple, tuple[list[int], list[int]]] = {}
    for (batch_id, day, place), n in sorted(items.items()):
        if n:
            ids, counts = groups.setdefault((day, place), ([], []))
            ids.append(batch_id)
            counts.append(n)
    chunks = [
        (day, place, ids[i : i + _CHUNK], counts[i : i + _CHUNK])
        for (day, place), (ids, counts) in groups.items()
        for i in range(0, len(ids), _CHUNK)
    ]
    written = done = 0
    try:
        for day, place, ids, counts in chunks:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(_UPSERT, [day, place, ids, counts])
                else:
                    cursor.executemany(
                        _UPSERT_ROW, [(b, day, place, n) for b, n in zip(ids, counts, strict=True)]
                    )
            written += len(ids)
            done += 1
    except DatabaseError as exc:
        # The database away (restart, failover) is expected and said in one line; anything
        # else is a bug and keeps its traceback.
        away = isinstance(exc, OperationalError | InterfaceError)
        logger.warning(
            "Scan counts not written (%s); kept for the next flush.",
            str(exc).splitlines()[0] if away else type(exc).__name__,
            exc_info=not away,
        )
        with _lock:
            for day, place, ids, counts in chunks[done:]:
                for batch_id, n in zip(ids, counts, strict=True):
                    _buffer[(batch_id, day, place)] += n
    return written

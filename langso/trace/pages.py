"""The public scan page, pre-rendered.

A batch's page is rendered once per language and kept in the page cache
(`CACHES["trace_pages"]`: Redis, shared by every worker, in production) under the batch's
public path, as a compact record (page_records.py): the id of a skeleton shared by every
batch of the product harvested on the same day, and this batch's own parts, deflated. A
scan is then one cache read and a join of bytes: no database query, no template, no
compression.

Fresh, not stale: every new event (and every correction) deletes the pages of its batches,
and of the batches made from them, when its transaction commits, then queues a task that
renders them again (`tasks.render_scan_pages`). Changes to what the page shows from the
economy app (producer, product, growing area, certificates, bank account) do the same
through signals (`signals.py`), and make every worker forget the shared parts it read. A
page that depends on today's date (OCOP stars of a certificate that expires, a batch
without harvest date) expires at the next date that can change it.

A page missing from the cache (first scan, cache flushed, expired) is rendered on the spot
and stored, in one query: the batch's row beside each of its events (queries.py,
scan_page_batch); its product, producer and growing area come from the worker's memory.
The skeleton of its product and harvest day is rendered by the template once per worker
(and per day: it may depend on the date) and kept in the worker's memory too, until
forget_shared_parts says that something it shows changed; the batch's parts are built in
Python (timeline.py). A batch processed from others reads its
raw material's events too (one query per level). `langso trace_render_pages` fills the
cache for every batch in bulk.

Memory: each page costs its record (~0.8 KB for ten events) and its key; a skeleton is
stored once (`trace:skeleton:<id>`). Pages expire after LANGSO_TRACE_PAGE_MAX_AGE (7 days
by default): the pages of batches nobody scans leave the cache, a page scanned again is
rendered again. docs/production.md gives the figures and the Redis settings.
"""

from __future__ import annotations

import gzip
import os
import pickle
import secrets
import struct
import threading
import time as clock
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import page_records
from .models import Batch
from .page_records import SLOT, Skeleton
from .timeline import SERIAL_SLOT

CACHE_ALIAS = "trace_pages"
SHARED_GEN_KEY = "trace:shared-gen"
STAMP_SECONDS = 3600  # longer than any render of one page
_RELATED = ("product", "producer", "growing_area", "producer__commune", "producer__hamlet")


def page_cache():
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def _path_key(*, gtin: str, product_public_id: str, lot: str) -> str:
    return f"01/{gtin}/{lot}" if gtin else f"t/{product_public_id}/{lot}"


def _batch_path_key(batch: Batch) -> str:
    return _path_key(gtin=batch.gtin, product_public_id=str(batch.product.public_id), lot=batch.lot)


def _key(path_key: str, language: str) -> str:
    # "pg": a page record (page_records.py). The whole pages an older version kept under
    # "trace:page:" are never read as records; they expire within LANGSO_TRACE_PAGE_MAX_AGE.
    return f"trace:pg:{language}:{path_key}"


def _stamp_key(path_key: str) -> str:
    """Changed whenever the batch's pages are dropped: a render that started before keeps
    nothing (see scan_page)."""
    return f"trace:stamp:{path_key}"


def _skeleton_key(skeleton_id: bytes) -> str:
    return f"trace:skeleton:{skeleton_id.hex()}"


def keys_of(batch: Batch) -> list[str]:
    """The cache keys of a batch's page in every language."""
    path_key = _batch_path_key(batch)
    return [_key(path_key, code) for code, _name in settings.LANGUAGES]


def page_key(*, gtin: str = "", product_public_id: str = "", lot: str, language: str) -> str:
    """The page cache key of a scanned path in one language."""
    return _key(_path_key(gtin=gtin, product_public_id=product_public_id, lot=lot), language)


# --- reading --------------------------------------------------------------------------------

#: skeletons by id, in this process: an id names one text forever, so nothing goes stale
_SKELETONS: dict[bytes, Skeleton] = {}
_SKELETONS_KEPT = 512
#: when this process last wrote each skeleton to the cache
_SKELETONS_STORED: dict[bytes, float] = {}


_SKELETONS_LOCK = threading.Lock()


def _remember(skeleton: Skeleton) -> Skeleton:
    with _SKELETONS_LOCK:  # a worker's threads share it; the oldest leaves first
        if skeleton.id not in _SKELETONS:
            if len(_SKELETONS) >= _SKELETONS_KEPT:
                _SKELETONS.pop(next(iter(_SKELETONS)))
            _SKELETONS[skeleton.id] = skeleton
        return _SKELETONS[skeleton.id]


def _open(record, cache) -> tuple[int, bytes] | None:
    """(batch id, gzip body) of a stored record, or None when its skeleton is gone or the
    record is not one (a page stored by an older version)."""
    try:
        batch_id, skeleton_id = page_records.header(record)
    except (TypeError, ValueError, struct.error):
        return None
    skeleton = _SKELETONS.get(skeleton_id)
    if skeleton is None:
        blob = cache.get(_skeleton_key(skeleton_id))
        if blob is None:  # evicted or flushed: the next render here stores it again
            _SKELETONS_STORED.pop(skeleton_id, None)
            return None
        skeleton = _remember(Skeleton.from_blob(blob))
    return batch_id, page_records.gzip_body(record, skeleton)


def cached_page(key: str) -> tuple[int, bytes] | None:
    """(batch id, gzip-compressed HTML) if the page is in the cache, else None. Never
    renders (the front reads with front_lookup)."""
    cache = page_cache()
    record = cache.get(key)
    return None if record is None else _open(record, cache)


def front_lookup(
    *, gtin: str = "", product_public_id: str = "", lot: str, language: str
) -> tuple[tuple[int, bytes] | None, Missed]:
    """What the front reads, in one cache round trip: the page if it is cached (as
    cached_page), and what a render of it needs to know first (the path's stamp and the
    shared parts' generation, see scan_page), handed to the view with a miss."""
    path_key = _path_key(gtin=gtin, product_public_id=product_public_id, lot=lot)
    key = _key(path_key, language)
    cache = page_cache()
    found = _get_many(cache, [key, _stamp_key(path_key), SHARED_GEN_KEY])
    record = found.pop(key, None)
    return (None if record is None else _open(record, cache)), (key, found)


def _get_many(cache, keys: list[str]) -> dict:
    """cache.get_many; on Redis, the same MGET sent on this thread's connection (see
    _connection), without the checks of the keys' characters meant for memcached (our keys
    are ours) nor the client's layers of calls: a scan served from the cache costs little
    else."""
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(cache, RedisCache):
        return cache.get_many(keys)
    redis = cache._cache  # type: ignore[attr-defined]  # private: see _store_if_unchanged
    pool = redis.get_client(keys[0]).connection_pool
    # redis-py's client adds retries and metrics: a failed read goes to Django instead
    values = _round_trip(pool, "MGET", *[cache.make_key(key) for key in keys])
    return {
        key: _loads(value) for key, value in zip(keys, values, strict=True) if value is not None
    }


def _loads(value: bytes):
    """RedisSerializer.loads, without its ValueError for each pickled value: Django stores
    an int as its digits and everything else pickled (RedisSerializer.dumps), and a pickle
    starts with its PROTO opcode, never a digit or a sign."""
    return pickle.loads(value) if value[:1] == b"\x80" else int(value)  # noqa: S301 - ours


_THREAD = threading.local()


def _round_trip(pool, *command):
    """One command and its answer on this thread's connection to `pool`'s server, kept
    from one scan to the next: the pool's checkout and return (its lock, its checks, its
    events) cost as much as the command. A connection Redis closed meanwhile (a restart,
    its idle timeout) is opened again and the command sent once more (the page cache's
    commands can be: a read, or a write of the same value). One connection per pool (a
    cache with replicas reads from one and writes to another), taken anew in a forked
    process."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import ResponseError

    kept = getattr(_THREAD, "redis", None)
    pid = os.getpid()
    if kept is None or kept[0] != pid or len(kept[1]) > 8:  # more: caches of finished tests
        kept = _THREAD.redis = (pid, {})
    connection = kept[1].get(pool)
    if connection is None:
        connection = kept[1][pool] = pool.get_connection()  # never given back
    for attempt in (1, 2):
        try:
            connection.send_command(*command)
            return connection.read_response()
        except ResponseError:
            raise  # Redis answered: the connection is as good as before
        except RedisConnectionError:
            connection.disconnect()  # the next command connects again
            if attempt == 2:
                raise
        except BaseException:
            connection.disconnect()  # it may hold half an answer
            raise
    raise AssertionError("unreachable")


#: what the front read before leaving a miss to the view: (page key, the other keys found)
Missed = tuple[str, dict]


def scan_page(
    *, gtin: str = "", product_public_id: str = "", lot: str, missed: Missed | None = None
):
    """(batch id, gzip-compressed HTML) of the page in the active language, or None when no
    such batch exists. Cache hit: one cache read; miss: one query, rendered and stored.
    `missed`: what the front read for this request when it found the page missing
    (front_lookup): then no cache read at all before the render."""
    from .queries import scan_page_batch

    path_key = _path_key(gtin=gtin, product_public_id=product_public_id, lot=lot)
    key, stamp_key = _key(path_key, get_language()), _stamp_key(path_key)
    cache = page_cache()
    if missed is not None and missed[0] == key:
        found = missed[1]
    else:
        found = cache.get_many([key, stamp_key, SHARED_GEN_KEY])
        page = _open(found[key], cache) if key in found else None
        if page is not None:
            return page
    memo = _worker_memo(found.get(SHARED_GEN_KEY))
    batch_read = scan_page_batch(
        gtin=gtin, product_public_id=product_public_id, lot=lot, known=memo.objects
    )
    if batch_read is None:
        return None
    batch, events = batch_read
    record, skeleton, timeout = _render(batch, memo, {batch.pk: events})
    _store_skeletons(cache, [skeleton])
    # An event committed while this render ran has already stamped the path, deleted the
    # page and queued a render of its own: store only if the stamp did not change meanwhile.
    _store_if_unchanged(cache, key, record, stamp_key, found.get(stamp_key), timeout)
    return batch.pk, page_records.gzip_body(record, skeleton)


_SET_IF_STAMP = """
if (redis.call('GET', KEYS[2]) or '') == ARGV[2] then
    redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
    return 1
end
return 0
"""
_SCRIPTS: list = []  # one script object, run on whichever client the cache hands out


def _store_if_unchanged(cache, key, record, stamp_key, stamp, timeout) -> bool:
    """Store the page unless the path's stamp is no longer `stamp`: one atomic round trip
    on Redis (a script; stamps are integers, which Django's Redis cache stores as text),
    a read then a write on other caches."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        # Django's cache API has no compare-and-set: its client and serializer, as it uses
        redis = cache._cache  # type: ignore[attr-defined]  # private: see above
        client = redis.get_client(key, write=True)
        if not _SCRIPTS:
            _SCRIPTS.append(client.register_script(_SET_IF_STAMP))
        keys = [cache.make_and_validate_key(key), cache.make_and_validate_key(stamp_key)]
        value = redis._serializer.dumps(record)
        args = [value, "" if stamp is None else stamp, timeout]
        return bool(_run_script(client, _SCRIPTS[0], keys, args))
    if cache.get(stamp_key) != stamp:
        return False
    cache.set(key, record, timeout)
    return True


def _run_script(client, script, keys: list, args: list):
    """The script's EVALSHA sent on this thread's connection, as _get_many sends its MGET
    (the client's layers of calls cost as much as the render's other steps); the client's
    own call when Redis does not know the script yet (it loads it)."""
    from redis.exceptions import NoScriptError

    try:
        return _round_trip(client.connection_pool, "EVALSHA", script.sha, len(keys), *keys, *args)
    except NoScriptError:
        pass  # an answer like any other: the client's call below loads the script
    return script(keys=keys, args=args, client=client)


def with_serial(compressed: bytes, serial: str) -> bytes:
    """The batch page for one unit (AI 21): the serial line is filled in on the way out."""
    html = gzip.decompress(compressed).decode()
    line = format_html(" · {} <strong>{}</strong>", _("Đơn vị số"), serial)
    return gzip.compress(html.replace(SERIAL_SLOT, line, 1).encode(), 6, mtime=0)


# --- dropping -------------------------------------------------------------------------------


def forget_pages(batch_ids: Iterable[int]) -> list[int]:
    """Delete the cached pages of these batches and of the batches made from them (their
    pages show the raw material's story); returns the ids whose pages were dropped."""
    from .queries import batches_made_from

    ids = set(batch_ids)
    ids |= batches_made_from(ids)
    cache = page_cache()
    token = secrets.randbits(62)  # an integer: see _store_if_unchanged
    stamps, keys = {}, []
    for batch in Batch.objects.filter(pk__in=ids).select_related("product"):
        stamps[_stamp_key(_batch_path_key(batch))] = token
        keys += keys_of(batch)
    stamps_list = list(stamps.items())
    for start in range(0, len(stamps_list), 1000):  # stamped first: see scan_page
        cache.set_many(dict(stamps_list[start : start + 1000]), STAMP_SECONDS)
    for start in range(0, len(keys), 1000):
        cache.delete_many(keys[start : start + 1000])
    return sorted(ids)


def forget_shared_parts() -> None:
    """Something a skeleton shows (producer, product, growing area, certificates, payment
    link) has changed: every worker reads the shared parts again at its next render."""
    page_cache().set(SHARED_GEN_KEY, secrets.token_hex(8), None)


# --- rendering ------------------------------------------------------------------------------


def render_pages(
    batch_ids: Iterable[int], *, languages: Iterable[str] | None = None, chunk: int = 500
) -> int:
    """Render and store the pages of these batches (bulk: events and shared parts are read
    once per chunk). Returns the number of pages stored."""
    from .queries import prefetch_scan_events

    languages = list(languages or [code for code, _name in settings.LANGUAGES])
    ids = list(batch_ids)
    cache = page_cache()
    memo = _Memo()
    stored = 0
    for start in range(0, len(ids), chunk):
        batches = list(
            Batch.objects.select_related(*_RELATED)
            .filter(pk__in=ids[start : start + chunk])
            .order_by("pk")
        )
        events = prefetch_scan_events(batches)
        for language in languages:
            with translation.override(language):
                groups: dict[int, dict[str, bytes]] = {}
                skeletons: dict[bytes, Skeleton] = {}
                for batch in batches:
                    record, skeleton, timeout = _render(batch, memo, events)
                    skeletons[skeleton.id] = skeleton
                    groups.setdefault(timeout, {})[_key(_batch_path_key(batch), language)] = record
                _store_skeletons(cache, skeletons.values())
                for timeout, group in groups.items():
                    cache.set_many(group, timeout)
                    stored += len(group)
    return stored


class _Memo:
    """What the pages rendered by one run (or by one worker, see _worker_memo) share: the
    shared parts read, the skeleton of each product, harvest day and language, and the
    product, producer and growing area objects."""

    def __init__(self, gen=None, day=None):
        self.gen, self.day = gen, day
        self.shared: dict = {}
        self.skeletons: dict = {}
        self.objects: dict = {}  # product, producer, growing area by (model, pk)


_WORKER_MEMO: list[_Memo] = []


def _worker_memo(gen) -> _Memo:
    """This worker's memo, valid while nothing shared changed (`gen`, written by
    forget_shared_parts) and for the day (a skeleton may show what holds today)."""
    today = timezone.localdate()
    memo = _WORKER_MEMO[0] if _WORKER_MEMO else None
    if (
        memo is None
        or (memo.gen, memo.day) != (gen, today)
        or len(memo.objects) + len(memo.skeletons) > 2000
    ):
        memo = _Memo(gen, today)
        _WORKER_MEMO[:] = [memo]
    return memo


_SLOT_NAMES = ("lot_slot", "batch_line", "batch_card", "timeline_html", "qr_slot")
_SLOTS = {name: mark_safe(f"{SLOT}{name}{SLOT}") for name in _SLOT_NAMES}  # noqa: S308


def _render(batch: Batch, memo: _Memo, events: dict | None) -> tuple[bytes, Skeleton, int]:
    """(record, skeleton, cache timeout) of one page: the skeleton of its product and harvest
    day (the template, rendered once per memo) and this batch's parts, built in Python."""
    from .queries import ancestors_of, scan_page_fills, scan_shared_context, scan_shared_key

    own = events.get(batch.pk) if events is not None else None
    ancestors = ancestors_of(batch, events=own)
    shared_key, area, harvested_on = scan_shared_key(batch, ancestors)
    entry = memo.skeletons.get((shared_key, get_language()))
    if entry is None:
        shared = scan_shared_context(batch, shared_key, area, memo.shared)
        text = render_to_string("trace/scan.html", {**shared, **_SLOTS})
        entry = memo.skeletons[(shared_key, get_language())] = (
            _remember(Skeleton(text)),
            shared["changes_on"],
        )
    skeleton, changes_on = entry
    fills = scan_page_fills(batch, ancestors, own, harvested_on)
    record = page_records.encode(
        batch.pk, skeleton, {name: conditional_escape(value) for name, value in fills.items()}
    )
    return record, skeleton, _seconds_until(changes_on)


def _store_skeletons(cache, skeletons: Iterable[Skeleton]) -> None:
    """Write skeletons to the cache, each at most once an hour per process (or as soon as
    this process found it missing, see _open), to outlive every page stored with them."""
    now = clock.monotonic()
    due = [s for s in skeletons if now - _SKELETONS_STORED.get(s.id, -1e9) > 3600]
    if due:
        cache.set_many({_skeleton_key(s.id): s.blob for s in due}, _max_age() + 86400)
        for skeleton in due:
            _SKELETONS_STORED[skeleton.id] = now


def _max_age() -> int:
    return int(getattr(settings, "LANGSO_TRACE_PAGE_MAX_AGE", 7 * 24 * 3600))


def _seconds_until(day) -> int:
    """Cache timeout: the next day the page can change by time alone (an OCOP certificate
    that ends or starts), at most LANGSO_TRACE_PAGE_MAX_AGE seconds (default 7 days)."""
    longest = _max_age()
    if day is None:
        return longest
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return max(60, min(longest, int((moment - timezone.now()) / timedelta(seconds=1))))


def batch_ids_of(
    *,
    producer_id: int | None = None,
    product_id: int | None = None,
    growing_area_id: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """The batches whose pages show this producer, product or growing area."""
    qs = Batch.objects.all()
    if producer_id is not None:
        qs = qs.filter(producer_id=producer_id)
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    if growing_area_id is not None:
        qs = qs.filter(growing_area_id=growing_area_id)
    ids = qs.order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit else ids)

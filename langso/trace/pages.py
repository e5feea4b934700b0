"""The public scan page, pre-rendered.

A batch's page is rendered once per language and kept, gzip-compressed, in the page cache
(`CACHES["trace_pages"]`: Redis, shared by every worker, in production) under the batch's
public path, next to the batch id used for counting scans. A scan is then one cache read:
no database query, no template.

Fresh, not stale: every new event (and every correction) deletes the pages of its batches,
and of the batches made from them, when its transaction commits, then queues a task that
renders them again (`tasks.render_scan_pages`). Changes to what the page shows from the
economy app (producer, product, growing area, certificates, bank account) do the same
through signals (`signals.py`). A page that depends on today's date (OCOP stars of a
certificate that expires, a batch without harvest date) expires at the next date that can
change it. A page missing from the cache (first scan, cache flushed) is rendered on the spot
and stored; `langso trace_render_pages` fills the cache for every batch in bulk.
"""

from __future__ import annotations

import gzip
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

from .models import Batch
from .timeline import SERIAL_SLOT

CACHE_ALIAS = "trace_pages"
_RELATED = ("product", "producer", "growing_area", "producer__commune", "producer__hamlet")


def page_cache():
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def _path_key(*, gtin: str, product_public_id: str, lot: str) -> str:
    return f"01/{gtin}/{lot}" if gtin else f"t/{product_public_id}/{lot}"


def _key(path_key: str, language: str) -> str:
    return f"trace:page:{language}:{path_key}"


def keys_of(batch: Batch) -> list[str]:
    """The cache keys of a batch's page in every language."""
    path_key = _path_key(
        gtin=batch.gtin, product_public_id=str(batch.product.public_id), lot=batch.lot
    )
    return [_key(path_key, code) for code, _name in settings.LANGUAGES]


def page_key(*, gtin: str = "", product_public_id: str = "", lot: str, language: str) -> str:
    """The page cache key of a scanned path in one language."""
    return _key(_path_key(gtin=gtin, product_public_id=product_public_id, lot=lot), language)


def cached_page(key: str):
    """(batch id, gzip-compressed HTML) if the page is in the cache, else None. Never
    renders: the front (`front.py`) answers from here and leaves misses to Django."""
    return page_cache().get(key)


def scan_page(*, gtin: str = "", product_public_id: str = "", lot: str):
    """(batch id, gzip-compressed HTML) of the page in the active language, or None when no
    such batch exists. Cache hit: one cache read; miss: rendered and stored."""
    key = page_key(gtin=gtin, product_public_id=product_public_id, lot=lot, language=get_language())
    page = cached_page(key)
    if page is not None:
        return page
    from .queries import get_public_batch

    batch = get_public_batch(gtin=gtin, product_public_id=product_public_id, lot=lot)
    if batch is None:
        return None
    page, timeout = _render(batch, _Memo())
    # An event committed while this render ran has already deleted the key and queued a
    # render of its own: store only if the batch did not change meanwhile.
    if Batch.objects.filter(pk=batch.pk, version=batch.version).exists():
        page_cache().set(key, page, timeout)
    return page


def with_serial(compressed: bytes, serial: str) -> bytes:
    """The batch page for one unit (AI 21): the serial line is filled in on the way out."""
    html = gzip.decompress(compressed).decode()
    line = format_html(" · {} <strong>{}</strong>", _("Đơn vị số"), serial)
    return gzip.compress(html.replace(SERIAL_SLOT, line, 1).encode(), 6, mtime=0)


def forget_pages(batch_ids: Iterable[int]) -> list[int]:
    """Delete the cached pages of these batches and of the batches made from them (their
    pages show the raw material's story); returns the ids whose pages were dropped."""
    from .queries import batches_made_from

    ids = set(batch_ids)
    ids |= batches_made_from(ids)
    keys = [
        k for b in Batch.objects.filter(pk__in=ids).select_related("product") for k in keys_of(b)
    ]
    for start in range(0, len(keys), 1000):
        page_cache().delete_many(keys[start : start + 1000])
    return sorted(ids)


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
        memo.events = prefetch_scan_events(batches)
        for language in languages:
            with translation.override(language):
                pages = {}
                for batch in batches:
                    page, timeout = _render(batch, memo)
                    pages.setdefault(timeout, {})[
                        page_key(
                            gtin=batch.gtin,
                            product_public_id=str(batch.product.public_id),
                            lot=batch.lot,
                            language=language,
                        )
                    ] = page
                for timeout, group in pages.items():
                    cache.set_many(group, timeout)
                    stored += len(group)
    return stored


class _Memo:
    """What pages of the same run share: per product and harvest day the rendered page
    skeleton, per producer the certificates, and, in bulk, the prefetched events."""

    def __init__(self):
        self.shared: dict = {}
        self.skeletons: dict = {}
        self.events: dict | None = None


_SLOT = "\x1a"  # a control character: never in escaped text from the database
_SLOT_NAMES = ("lot_slot", "batch_line", "batch_card", "timeline_html", "qr_slot")
_SLOTS = {name: mark_safe(f"{_SLOT}{name}{_SLOT}") for name in _SLOT_NAMES}  # noqa: S308


def _render(batch: Batch, memo: _Memo) -> tuple[tuple[int, bytes], int]:
    """One page: the skeleton of its product and harvest day (the template, rendered once
    per run) with this batch's parts filled in."""
    from .queries import scan_page_context

    context = scan_page_context(batch, memo=memo.shared, events=memo.events)
    key = (*context["shared_key"], get_language())
    pieces = memo.skeletons.get(key)
    if pieces is None:
        skeleton = render_to_string("trace/scan.html", {**context["shared"], **_SLOTS})
        pieces = memo.skeletons[key] = skeleton.split(_SLOT)
    fills = {name: conditional_escape(value) for name, value in context["fills"].items()}
    html = "".join(fills[piece] if i % 2 else piece for i, piece in enumerate(pieces))
    page = (batch.pk, gzip.compress(html.encode(), compresslevel=6, mtime=0))
    return page, _seconds_until(context["changes_on"])


def _seconds_until(day) -> int:
    """Cache timeout: the next day the page can change by time alone (an OCOP certificate
    that ends or starts), at most LANGSO_TRACE_PAGE_MAX_AGE seconds (default 7 days)."""
    longest = int(getattr(settings, "LANGSO_TRACE_PAGE_MAX_AGE", 7 * 24 * 3600))
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
    qs = qs.order_by("pk").values_list("pk", flat=True)
    return list(qs[:limit] if limit else qs)

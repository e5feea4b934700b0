"""The public scan page, cached: rendered HTML is kept per (batch, version, language), and
the version is bumped by every new event (actions.events.touch_batches). Each worker keeps
the (key -> batch id, version) lookup for LANGSO_TRACE_SCAN_TTL seconds (default 2); the
worker that stored the event forgets its copy on commit, so a new event shows at once there
and within the TTL everywhere else."""

from __future__ import annotations

import gzip
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .models import Batch

_lock = threading.Lock()
_lookup: dict[tuple, tuple[int, int, float]] = {}
_MAX = 50_000


def _ttl() -> float:
    return float(getattr(settings, "LANGSO_TRACE_SCAN_TTL", 2))


def resolve(*, gtin: str = "", product_public_id: str = "", lot: str) -> tuple[int, int] | None:
    key = (gtin, product_public_id, lot)
    now = time.monotonic()
    hit = _lookup.get(key)
    if hit and hit[2] > now:
        return hit[0], hit[1]
    qs = Batch.objects.filter(lot=lot)
    qs = (qs.filter(gtin=gtin) if gtin
          else qs.filter(product__public_id=product_public_id, gtin=""))
    row = next(iter(qs.order_by().values_list("pk", "version")[:1]), None)
    if row is None:
        return None
    with _lock:
        if len(_lookup) > _MAX:
            _lookup.clear()
        _lookup[key] = (row[0], row[1], now + _ttl())
    return row


def forget_batches(batch_ids) -> None:
    ids = set(batch_ids)
    with _lock:
        for key in [k for k, v in _lookup.items() if v[0] in ids]:
            _lookup.pop(key, None)


def render_scan_page(batch_id: int, version: int, *, serial: str = "") -> tuple[bytes, bytes]:
    """(UTF-8 HTML, the same gzip-compressed): compressed once per version, not per hit."""
    from .queries import scan_page_context

    key = f"trace:scan:{batch_id}:{version}:{get_language()}:{serial}"
    page = cache.get(key)
    if page is None:
        batch = (Batch.objects.select_related("product", "producer", "growing_area",
                                              "producer__commune", "producer__hamlet")
                 .get(pk=batch_id))
        html = render_to_string("trace/scan.html",
                                scan_page_context(batch, serial=serial)).encode()
        page = (html, gzip.compress(html, compresslevel=6, mtime=0))
        cache.set(key, page, 3600)
    return page

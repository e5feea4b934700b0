"""The market listing's cache: one version token, bumped by every write that can change it.

The market page (`/economy/`) was one of the slow public pages: every product carries a
subquery for its valid OCOP stars, producers are counted, 24 tiles and 50 producers are
rendered. What it lists changes only when a product (its price, photos, listing), a
producer or a certificate changes, so the rendered listing is cached under a key that
names the current *version*:

    economy:market:<version>:<hash of language, day, commune, filters, page>

- Every action that changes what the listing shows calls `market_changed()`, which
  replaces the version with a new random token once its transaction commits. The old
  entries are never read again (they expire on their own). A reader that started before
  the commit stores its answer under the old version, which nobody asks for any more; a
  reader after the bump misses and reads the committed rows. So a change shows at the
  next request: prices are never stale after an edit. A write that rolls back moves
  nothing.
- The token is random, never a counter: a counter lost from the cache (eviction, a Redis
  restart) would start again at 1 and bring back entries written under 1 long ago.
- The day is in the key because the stars come from certificates valid *today*.
- The Django admin edits through `MarketChangingAdmin` (admin.py), which calls the same
  function; `CACHE_SECONDS` bounds what a write outside both (a shell) could leave behind.
- The cache is an aid, never a dependency: with Redis unreachable the listing is read from
  the database on every request, and a bump that could not be written is logged (entries
  left behind expire within `CACHE_SECONDS`).
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger("langso.economy")
VERSION_KEY = "economy:market:version"
CACHE_SECONDS = 10 * 60


def market_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "none"
    return version


def bump_market_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # Redis unreachable: the old entries expire on their own
        logger.warning("The market listing's cache version could not be bumped.", exc_info=True)


def market_changed() -> None:
    """Call from every write that changes what the market lists; the listing is read afresh
    from the database once the current transaction commits."""
    transaction.on_commit(bump_market_version)


def market_key(*parts) -> str:
    """The cache key of one listing: the current version, then `parts` (day, commune,
    filters, page) hashed so that any search text makes a valid key."""
    asked = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"economy:market:{market_version()}:{asked}"


def cached(parts: tuple, build: Callable[[], T]) -> T:
    """What `build()` returns for `parts`, from the cache while the market is unchanged."""
    try:
        key = market_key(*parts)
        value = cache.get(key)
    except Exception:  # Redis unreachable: read the database, as without a cache
        logger.warning("The market listing's cache is unreachable.", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, CACHE_SECONDS)
        except Exception:
            logger.warning("The market listing could not be cached.", exc_info=True)
    return value

"""Pausing Python's cyclic garbage collector while an import holds its rows."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """An import keeps a few objects per row alive until it ends (100,000 parsed rows, their
    households, the rows of the report). The collector, run every 700 allocations, walks all
    of them again at each full pass: a third of the CPU time of a 100,000-row import. They
    hold no reference cycles, so nothing is lost by waiting; the collector runs as usual
    once the import returns. The pause is process-wide, so another thread's cycles wait
    for the few seconds too; a nested or concurrent import leaves it as it found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

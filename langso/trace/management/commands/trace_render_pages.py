"""Render the public scan pages of all batches (or one producer's) into the page cache.

Run it after restoring a backup, after the cache (Redis) was flushed, or once after
installing: afterwards every scan is served from the cache. Pages of new events are
rendered by the worker as they come (tasks.render_scan_pages); this command is the bulk
path for everything at once.
"""

from __future__ import annotations

import multiprocessing
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from langso.trace import pages
from langso.trace.models import Batch


def _render_slice(args: tuple[list[int], list[str]]) -> int:
    ids, languages = args
    try:
        return pages.render_pages(ids, languages=languages)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = "Render the scan pages of every batch into the page cache (bulk)."

    def add_arguments(self, parser):
        parser.add_argument("--producer", help="only this producer's batches (public id)")
        parser.add_argument(
            "--languages", default="vi", help="comma-separated language codes (default: vi)"
        )
        parser.add_argument(
            "--processes", type=int, default=1, help="render in this many processes (default 1)"
        )
        parser.add_argument(
            "--slice", type=int, default=5000, help="batches per unit of work (default 5000)"
        )

    def handle(self, *args, **opts):
        self._verbosity = opts["verbosity"]
        qs = Batch.objects.order_by("pk")
        if opts["producer"]:
            qs = qs.filter(producer__public_id=opts["producer"])
        ids = list(qs.values_list("pk", flat=True))
        languages = [code.strip() for code in opts["languages"].split(",") if code.strip()]
        if not languages:
            raise CommandError("Hãy chỉ rõ ít nhất một ngôn ngữ (--languages vi).")
        step = max(1, opts["slice"])
        work = [(ids[i : i + step], languages) for i in range(0, len(ids), step)]
        started = time.monotonic()
        done = 0
        if opts["processes"] > 1:
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(opts["processes"]) as pool:
                for stored in pool.imap_unordered(_render_slice, work):
                    done += stored
                    self._progress(done, len(ids) * len(languages), started)
        else:
            for item in work:
                done += pages.render_pages(item[0], languages=languages)
                self._progress(done, len(ids) * len(languages), started)
        elapsed = max(time.monotonic() - started, 1e-9)
        self.stdout.write(
            f"{done:,} pages rendered in {elapsed:.0f} s ({done / elapsed:,.0f} pages/s)."
        )

    def _progress(self, done: int, total: int, started: float) -> None:
        if self._verbosity > 1:
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stdout.write(f"  {done:,}/{total:,} ({rate:,.0f} pages/s)")

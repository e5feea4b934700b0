"""Society benchmarks on the demo database (run `manage.py demo --no-serve` first):

    LANGSO_VAR_DIR=/tmp/society-var python bench/society_bench.py

Prints timings for: issuing every digital address of the commune in bulk, the officials'
households layer, the five monitoring figures, and sensor ingest with retries. Everything
runs inside a transaction that is rolled back, so the demo data is left as it was."""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from langso.people.demo import demo_units  # noqa: E402
from langso.people.models import User  # noqa: E402
from langso.society.actions.addresses import issue_addresses  # noqa: E402
from langso.society.actions.environment import record_reading  # noqa: E402
from langso.society.models import DigitalAddress, ReadingSource, Station  # noqa: E402
from langso.society.queries import monitoring_figures  # noqa: E402
from langso.society.queries.maps import layer_geojson  # noqa: E402


def timed(label, fn):
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
    print(f"{label:58} {dt * 1000:8.1f} ms {len(ctx.captured_queries):5} queries")
    return result


class Rollback(Exception):
    pass


def main():
    _province, commune = demo_units()
    official = User.objects.get(username="canbo.votranh")
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            n = DigitalAddress.objects.filter(commune=commune).count()
            DigitalAddress.objects.filter(commune=commune).delete()
            issued = timed(
                f"issue_addresses ({n} households, bulk)",
                lambda: issue_addresses(actor=official, commune=commune),
            )
            assert issued == n
            layer = timed(
                "households layer GeoJSON (officials)",
                lambda: layer_geojson(official, commune, "ho-gia-dinh"),
            )
            print(f"{'':58} {len(layer['features'])} features")
            today = date.today()
            timed(
                "monitoring_figures (1 commune, 1 year)",
                lambda: monitoring_figures(
                    unit_ids=[commune.pk],
                    period_start=today - timedelta(days=365),
                    period_end=today,
                ),
            )
            station = Station.objects.get(code="votranh-nuoc-khe-coc")
            base = timezone.now().replace(microsecond=0)

            def ingest(k):
                created = 0
                for i in range(k):
                    _, c = record_reading(
                        actor=None,
                        station=station,
                        parameter_code="ph",
                        observed_at=base + timedelta(minutes=i),
                        value=7.0,
                        source=ReadingSource.SENSOR,
                        client_id=f"bench-{i}",
                    )
                    created += c
                return created

            c1 = timed("sensor ingest: 500 new readings", lambda: ingest(500))
            c2 = timed("sensor ingest: the same 500 again (retries)", lambda: ingest(500))
            print(f"{'':58} created {c1}, then {c2} on retry")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()

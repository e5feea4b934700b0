"""`langso readyz`: the `/readyz` checks from the command line (the worker's health check).

Prints the same JSON as the endpoint and exits 0 when ready, 1 otherwise.
"""

import json

from django.core.management.base import BaseCommand

from langso.core.health import readiness


class Command(BaseCommand):
    help = "Check the database, the cache and the task worker; exit 1 unless all are ready."

    def handle(self, *args, **options):
        ready, components = readiness()
        self.stdout.write(json.dumps({"status": "ok" if ready else "unavailable", **components}))
        if not ready:
            raise SystemExit(1)

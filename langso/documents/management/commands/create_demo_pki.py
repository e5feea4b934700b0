"""Create (once) the demo root CA, the local timestamp authority and the signing
certificate of each given commune (default: Vô Tranh). Running it again changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from langso.documents.signing import certificates
from langso.places.models import AdminUnit, Level, Structure


class Command(BaseCommand):
    help = "Create the demo CA and commune signing certificates (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "codes",
            nargs="*",
            default=["05641"],
            help="commune codes (2025 structure); default 05641 (Vô Tranh)",
        )

    def handle(self, *args, codes, **options):
        root = certificates.ensure_demo_root()
        tsa = certificates.ensure_demo_tsa()
        self.stdout.write(f"Root CA: {root.cert}")
        self.stdout.write(f"TSA: {tsa.cert}")
        for code in codes:
            commune = (
                AdminUnit.objects.select_related("parent")
                .filter(code=code, level=Level.COMMUNE, structure=Structure.Y2025)
                .first()
            )
            if commune is None:
                raise CommandError(f"No 2025 commune with code {code}.")
            files = certificates.ensure_demo_commune_certificate(commune)
            cert, _key = certificates.load_pair(files)
            self.stdout.write(
                f"{commune.name}: {files.cert} (serial {cert.serial_number:x}, "
                f"valid until {cert.not_valid_after_utc:%Y-%m-%d})"
            )

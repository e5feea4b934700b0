"""Revoke a commune's demo certificate (puts it on the demo root's CRL); the next signature
creates a new certificate. Documents signed before then verify as 'untrusted_signer'
(revoked)."""

from django.core.management.base import BaseCommand, CommandError

from langso.documents import conf
from langso.documents.signing import certificates
from langso.places.models import AdminUnit, Level, Structure


class Command(BaseCommand):
    help = "Revoke a commune's demo signing certificate (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="commune code (2025 structure), e.g. 05641")

    def handle(self, *args, code, **options):
        if conf.signing_mode() != conf.DEMO:
            raise CommandError("Only demo certificates can be revoked here; ask the CA.")
        commune = (
            AdminUnit.objects.select_related("parent")
            .filter(code=code, level=Level.COMMUNE, structure=Structure.Y2025)
            .first()
        )
        if commune is None:
            raise CommandError(f"No 2025 commune with code {code}.")
        if not certificates.commune_files(code).exists():
            raise CommandError(f"{commune.name} has no demo certificate.")
        serial = certificates.revoke_demo_commune_certificate(commune)
        self.stdout.write(f"Revoked {serial:x}; CRL at {certificates.crl_file()}")

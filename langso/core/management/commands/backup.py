from pathlib import Path

from django.core.management.base import BaseCommand

from langso.core.backup import create_backup


class Command(BaseCommand):
    help = "Back up the whole installation (database rows and uploaded files) to a .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", default=".", help="file or folder")

    def handle(self, *args, **opts):
        path = create_backup(Path(opts["target"]), progress=lambda m: self.stdout.write(f"  {m}"))
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {path}"))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.core.backup import RestoreError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `langso backup` into an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **opts):
        try:
            manifest = restore_backup(
                Path(opts["archive"]), progress=lambda m: self.stdout.write(f"  {m}")
            )
        except RestoreError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã khôi phục bản sao lưu ngày {manifest['created_at']}.")
        )

from django.core.management.base import BaseCommand

from langso.monitor.catalogue import DATA_DIR, load_catalogue


class Command(BaseCommand):
    help = "Load (or reload) the New Rural criteria sets and programme targets from JSON files."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR))

    def handle(self, *args, data_dir, **options):
        from pathlib import Path

        report = load_catalogue(Path(data_dir))
        self.stdout.write(
            f"{report.sets} bộ tiêu chí, {report.criteria} tiêu chí, {report.indicators} chỉ tiêu, "
            f"{report.thresholds} ngưỡng, {report.targets} mục tiêu; giữ nguyên "
            f"{report.kept_confirmed} mục đã được cán bộ xác nhận."
        )
        for warning in report.warnings:
            self.stderr.write(warning)

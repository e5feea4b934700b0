from django.core.management.base import BaseCommand

from langso.economy.ocop_rules import criteria_files, load_criteria


class Command(BaseCommand):
    help = "Load the OCOP scoring sheets from langso/economy/data/ocop_criteria_*.json."

    def handle(self, *args, **options):
        count = load_criteria()
        names = ", ".join(p.name for p in criteria_files())
        self.stdout.write(f"Đã nạp {count} bộ tiêu chí OCOP từ {names}.")

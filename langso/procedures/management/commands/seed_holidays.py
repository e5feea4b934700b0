from django.core.management.base import BaseCommand

from langso.procedures.actions import seed_holidays


class Command(BaseCommand):
    help = "Add Vietnam's public holidays of the given years (from the holidays package)."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, **opts):
        added = seed_holidays(years=opts["years"])
        self.stdout.write(f"Đã thêm {added} ngày nghỉ/làm bù.")

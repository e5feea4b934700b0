from django.core.management.base import BaseCommand, CommandError

from langso.places.queries import commune_by_code
from langso.procedures.actions import load_catalogue


class Command(BaseCommand):
    help = "Load the seed procedures catalogue (data/procedures.json or --file) into a commune."

    def add_arguments(self, parser):
        parser.add_argument("commune_code", help="commune code, e.g. 05641")
        parser.add_argument("--file", default=None, help="a JSON file of the same shape")

    def handle(self, *args, **opts):
        commune = commune_by_code(opts["commune_code"])
        if commune is None:
            raise CommandError(f"Không tìm thấy xã mã {opts['commune_code']}.")
        created, updated = load_catalogue(commune=commune, path=opts["file"])
        self.stdout.write(f"{commune.name}: {created} thủ tục mới, {updated} cập nhật.")

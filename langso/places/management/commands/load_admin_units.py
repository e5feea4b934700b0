from django.core.management.base import BaseCommand

from langso.places.loader import load_admin_units


class Command(BaseCommand):
    help = "Load (or refresh) Vietnam's administrative units, legacy and 2025, with the mapping."

    def handle(self, *args, **options):
        report = load_admin_units(progress=lambda m: self.stdout.write(f"  {m}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"2025: {report.provinces_2025} tỉnh, {report.communes_2025} xã/phường; "
                f"trước 2025: {report.provinces_legacy} tỉnh, {report.districts_legacy} huyện, "
                f"{report.communes_legacy} xã/phường; {report.successions} liên kết cũ→mới "
                f"(tạo {report.created}, cập nhật {report.updated})."
            )
        )

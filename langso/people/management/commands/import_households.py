"""`langso import_households dan-cu.xlsx --commune 05641 [--valid-only] [--user canbo.votranh]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.core.exceptions import DomainError
from langso.people.actions import import_population
from langso.people.exceptions import ImportRejected
from langso.people.imports import ImportMode
from langso.people.models import User
from langso.places.models import AdminUnit, Level, Structure


class Command(BaseCommand):
    help = "Nhập hộ và nhân khẩu của một xã từ tệp .xlsx hoặc .csv (một dòng một nhân khẩu)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commune", required=True, help="Mã xã/phường (cấu trúc 2025), vd. 05641"
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Chỉ nhập các hộ hợp lệ; mặc định có lỗi thì không nhập gì.",
        )
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của cán bộ thực hiện (ghi nhật ký). "
            "Mặc định: hệ thống, không kiểm tra quyền.",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        commune = AdminUnit.objects.filter(
            structure=Structure.Y2025, level=Level.COMMUNE, code=options["commune"]
        ).first()
        if commune is None:
            raise CommandError(f"Không có xã mã {options['commune']}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {options['user']}.")
        mode = ImportMode.VALID_ONLY if options["valid_only"] else ImportMode.ALL_OR_NOTHING
        try:
            with path.open("rb") as f:
                report = import_population(
                    actor=actor, commune=commune, file=f, mode=mode, filename=path.name
                )
        except ImportRejected as exc:
            self._print_errors(exc.report)
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._print_errors(report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {report.households} hộ, {report.residents} nhân khẩu vào {commune.name}"
                f" ({report.rows} dòng, bỏ qua {report.skipped_rows})."
            )
        )

    def _print_errors(self, report) -> None:
        for e in report.errors:
            column = f" [{e.column}]" if e.column else ""
            self.stderr.write(f"Dòng {e.row}{column}: {e.reason}")
        if report.error_count > len(report.errors):
            self.stderr.write(f"... và {report.error_count - len(report.errors)} lỗi khác.")

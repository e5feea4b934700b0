"""The training attendance sheet (.xlsx): reading an uploaded list and writing the template.

One row per person present. Columns, found by their header (accents and case ignored, in any
order): "Tên đăng nhập" or "Họ và tên" (one of them is enough; the login name wins when both
are given), "Buổi tập huấn" (the session as the training page names it, "10/01/2026 — Kỹ năng
số cho cán bộ xã", or only its date when the commune held one session that day) and, for
residents' sessions, "Mã hộ" to tell apart residents with the same name. This module only
turns cells into `SheetRow`s; matching people and sessions is the import action's job
(actions/training.py), so that the whole file is checked before anything is written.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from langso.core.exports import safe_row
from langso.core.text import fold

from .exceptions import AttendanceSheetInvalid

#: a commune's sheet is a few hundred rows; a bigger file is a mistake or an attack
MAX_ROWS = 2000

HEADERS = {
    "username": ("ten dang nhap", "tai khoan", "username"),
    "full_name": ("ho va ten", "ho ten", "ten", "full name", "name"),
    "session": ("buoi tap huan", "buoi", "buoi hoc", "session"),
    "household_code": ("ma ho", "household"),
}
TEMPLATE_HEADERS = ["Tên đăng nhập", "Họ và tên", "Buổi tập huấn", "Mã hộ"]


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number as the spreadsheet shows it
    username: str
    full_name: str
    session: str | date  # the session's label, or a date
    household_code: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _session_cell(value) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _text(value)


def read_attendance_sheet(file: IO[bytes]) -> list[SheetRow]:
    """The non-empty rows of the first worksheet. Raises AttendanceSheetInvalid when the file
    is not a readable .xlsx, lacks the needed columns or is too long."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise AttendanceSheetInvalid(
            _("Không đọc được tệp Excel (.xlsx). Hãy dùng tệp mẫu."), errors=[]
        ) from exc
    columns: dict[str, int] = {}
    for index, heading in enumerate(header or ()):
        key = fold(_text(heading))
        for name, aliases in HEADERS.items():
            if key in aliases and name not in columns:
                columns[name] = index
    if "username" not in columns and "full_name" not in columns:
        raise AttendanceSheetInvalid(
            _("Dòng 1 thiếu cột “Tên đăng nhập” hoặc “Họ và tên”. Hãy dùng tệp mẫu."), errors=[]
        )
    if "session" not in columns:
        raise AttendanceSheetInvalid(
            _("Dòng 1 thiếu cột “Buổi tập huấn”. Hãy dùng tệp mẫu."), errors=[]
        )

    def cell(values, name):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    out: list[SheetRow] = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise AttendanceSheetInvalid(
                _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp.") % {"max": MAX_ROWS},
                errors=[],
            )
        out.append(
            SheetRow(
                number=number,
                username=_text(cell(values, "username")),
                full_name=_text(cell(values, "full_name")),
                session=_session_cell(cell(values, "session")),
                household_code=_text(cell(values, "household_code")),
            )
        )
    wb.close()
    return out


def attendance_template(*, sessions, officials) -> bytes:
    """The template: the header, one example row per official for the latest officials'
    session, and a second sheet listing the commune's sessions as the import expects them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Điểm danh"
    ws.append(TEMPLATE_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    sessions = list(sessions)
    first = next((s for s in sessions if s.audience == "officials"), None)
    if first is not None:
        for user in officials:
            ws.append(safe_row([user.username, user.get_full_name(), first.label, None]))
    for letter, width in zip("ABCD", (22, 28, 48, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ref = wb.create_sheet("Buổi tập huấn")
    ref.append(["Buổi tập huấn", "Đối tượng", "Địa điểm"])
    for c in ref[1]:
        c.font = Font(bold=True)
    for s in sessions:
        ref.append(safe_row([s.label, str(s.get_audience_display()), s.place]))
    ref.column_dimensions["A"].width = 48
    ref.column_dimensions["B"].width = 14
    ref.column_dimensions["C"].width = 32
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

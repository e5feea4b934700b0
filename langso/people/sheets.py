"""The population spreadsheet: one row per resident, Vietnamese column headers.

The same layout is used by the import, the export and the downloadable template, so an
exported file can be corrected and imported again elsewhere.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from langso.core.exports import safe_row
from langso.core.text import fold


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column(
        "household_code",
        "Mã hộ",
        True,
        "Mã hộ gia đình, duy nhất trong xã. Các dòng cùng mã hộ là thành viên một hộ.",
    ),
    Column(
        "hamlet",
        "Thôn/xóm",
        False,
        "Tên (vd. Xóm Khe Cốc hoặc Khe Cốc) hoặc mã thôn/xóm đã khai báo trong xã.",
        ("thon", "xom", "thon xom", "thon, xom", "ten thon", "ma thon"),
    ),
    Column("address_line", "Địa chỉ", False, "Số nhà, đường, thôn/xóm."),
    Column("latitude", "Vĩ độ", False, "Số thập phân, vd. 21.7044.", ("vi do (lat)", "lat")),
    Column("longitude", "Kinh độ", False, "Số thập phân, vd. 105.772.", ("kinh do (lon)", "lon")),
    Column("full_name", "Họ và tên", True, "Họ, tên đệm và tên.", ("ho ten", "ho va ten")),
    Column("sex", "Giới tính", True, "Nam hoặc Nữ."),
    Column("date_of_birth", "Ngày sinh", True, "dd/mm/yyyy (vd. 17/05/1980) hoặc ô kiểu ngày."),
    Column(
        "citizen_id",
        "Số CCCD",
        False,
        "12 chữ số, ghi dạng văn bản để giữ số 0 đầu; để trống với trẻ em chưa có CCCD.",
        ("cccd", "so cccd/cmnd", "so dinh danh", "so dinh danh ca nhan"),
    ),
    Column("phone", "Số điện thoại", False, "Vd. 0912345678.", ("dien thoai", "sdt")),
    Column(
        "relation_to_head",
        "Quan hệ với chủ hộ",
        True,
        "Chủ hộ, Vợ, Chồng, Con, Bố, Mẹ, Cháu, Anh, Chị, Em, Khác. Mỗi hộ có đúng một Chủ hộ.",
        ("quan he", "quan he voi chu ho"),
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_HEADER_KEYS = {fold(c.header): c.key for c in COLUMNS}
for _c in COLUMNS:
    for _alias in _c.aliases:
        _HEADER_KEYS.setdefault(_alias, _c.key)


class SheetError(Exception):
    """The file cannot be read as a population sheet at all (not a row-level problem)."""


def header_key(text: Any) -> str | None:
    return _HEADER_KEYS.get(fold(str(text or "")).strip(" *:"))


def read_rows(file: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number as shown in a spreadsheet program, {column key: raw value}).

    The first non-empty row is the header; columns are matched by their Vietnamese header
    with or without diacritics, in any order. Empty rows are skipped. A key whose cell is
    missing (a short CSV line) maps to None.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = xlsx_rows(file)
    elif name.endswith(".csv"):
        rows = _csv_rows(file)
    else:
        raise SheetError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    header_found = False
    for number, values in rows:
        # any() alone would take a row of zeros or False for an empty one
        if not any(values) and all(v is None or v == "" for v in values):
            continue
        if not header_found:
            header_found = True
            header = [header_key(v) for v in values]
            missing = [c.header for c in COLUMNS if c.required and c.key not in header]
            if missing:
                raise SheetError(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
            keys = [key for key in header if key is not None]
            positions = [i for i, key in enumerate(header) if key is not None]
            width = positions[-1] + 1
            # Known columns first and in order (the template's layout): zip() pairs the
            # keys with the first cells and drops the rest, without picking them out.
            pick = None if positions == list(range(len(keys))) else itemgetter(*positions)
            continue
        if len(values) < width:
            values = [*values, *([None] * (width - len(values)))]
        yield number, dict(zip(keys, values if pick is None else pick(values), strict=False))
    if not header_found:
        raise SheetError(_("Tệp không có dữ liệu."))


# The sheet is read whole by calamine (Rust, several times faster than a streaming reader in
# Python), which allocates one cell for every position between the first and the last cell
# it meets: two cells at A1 and XFD1048576 in a 2 KB file would ask for 17 billion cells and
# abort the process. So the cell references are bounded first by a scan of the raw XML, and
# a sheet that reaches further than an honest population sheet goes through openpyxl, which
# streams. 12 million cells (≈400 MB at worst) is 400,000 residents in 26 columns.
MAX_DENSE_CELLS = 12_000_000
# Only references beyond column Z or row 99,999 are of interest; matching those alone keeps
# the scan at ~0.1 s for 100,000 rows. Whitespace around "=" and single quotes are legal XML.
# The pattern starts with a literal so that the regex engine can skip ahead; that the "r"
# is a whole attribute name (not lastClr=, xmlns:r=) is checked on the few matches.
_FAR_REFERENCE = re.compile(rb"r\s*=\s*[\"'](?=[A-Za-z]{2}|[A-Za-z]*\d{6})([A-Za-z]*)(\d*)")
_XML_SPACE = b" \t\r\n"
_SCAN_CHUNK = 8 * 1024 * 1024
_SCAN_OVERLAP = 64  # a reference cut by a chunk boundary is seen whole in the next chunk


def reaches_too_far(data: bytes) -> bool:
    """Whether a cell reference in any member of the package (whatever the workbook says
    its sheets are) would make a reader that places cells by reference allocate more than
    MAX_DENSE_CELLS."""
    max_row, max_col = 99_999, 26
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            with package.open(info) as member:
                tail = b""
                while chunk := member.read(_SCAN_CHUNK):
                    text = tail + chunk
                    for match in _FAR_REFERENCE.finditer(text):
                        start = match.start()
                        if start == 0 or text[start - 1] not in _XML_SPACE:
                            continue
                        letters, digits = match[1], match[2].lstrip(b"0")
                        if len(letters) > 3 or len(digits) > 9:  # beyond XFD / 10^9
                            return True
                        column = 0
                        for ch in letters.upper():
                            column = column * 26 + ch - 64
                        max_col = max(max_col, column)
                        max_row = max(max_row, int(digits or 0))
                    if max_row * max_col > MAX_DENSE_CELLS:
                        return True
                    tail = text[-_SCAN_OVERLAP:]
    return False


def xlsx_rows(file: IO[bytes]) -> Iterator[tuple[int, Any]]:
    data = file.read()
    try:
        too_far = reaches_too_far(data)
    except Exception as exc:  # a corrupt member: bad CRC, unknown compression...
        raise SheetError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    if too_far:
        yield from openpyxl_rows(io.BytesIO(data))
        return
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            grid = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        finally:
            book.close()
    except Exception as exc:  # calamine raises its own errors, and others for odd packages
        raise SheetError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    yield from enumerate(grid, start=1)


def openpyxl_rows(file: IO[bytes]) -> Iterator[tuple[int, tuple]]:
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt or foreign file
        raise SheetError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    try:
        ws = wb.worksheets[0]
        # Files written by other tools often lack or misstate <dimension>; without this
        # openpyxl parses the whole sheet once more just to size it.
        ws.reset_dimensions()
        yield from enumerate(ws.iter_rows(values_only=True), start=1)
    except Exception as exc:  # malformed sheet XML met while streaming
        raise SheetError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    finally:
        wb.close()


def _csv_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    raw = file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(_("Tệp CSV phải dùng bảng mã UTF-8.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    yield from enumerate(reader, start=1)


def new_workbook(title: str = "Nhân khẩu", *, write_only: bool = False) -> tuple[Workbook, Any]:
    wb = Workbook(write_only=write_only)
    if write_only:
        ws = wb.create_sheet(title)
        ws.append(safe_row(c.header for c in COLUMNS))
    else:
        ws = wb.active
        ws.title = title
        ws.append(safe_row(c.header for c in COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for letter, width in zip(
            "ABCDEFGHIJK", (14, 16, 30, 10, 10, 24, 9, 12, 15, 14, 16), strict=True
        ):
            ws.column_dimensions[letter].width = width
    return wb, ws


def template_workbook() -> bytes:
    """The downloadable template: the header row, two example rows and a help sheet."""
    wb, ws = new_workbook()
    ws.append(
        [
            "05641-00001",
            "Xóm Khe Cốc",
            "Xóm Khe Cốc, Xã Vô Tranh",
            21.7101,
            105.7702,
            "Nguyễn Văn An",
            "Nam",
            "17/05/1980",
            "019080012345",
            "0912345678",
            "Chủ hộ",
        ]
    )
    ws.append(
        [
            "05641-00001",
            "Xóm Khe Cốc",
            "",
            None,
            None,
            "Lê Thị Bình",
            "Nữ",
            "02/01/1982",
            "019182054321",
            "",
            "Vợ",
        ]
    )
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=10):
        for cell in row:
            cell.number_format = "@"
    help_ws = wb.create_sheet("Hướng dẫn")
    help_ws.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in help_ws[1]:
        cell.font = Font(bold=True)
    for c in COLUMNS:
        help_ws.append([c.header, "Có" if c.required else "Không", c.help])
    help_ws.column_dimensions["A"].width = 20
    help_ws.column_dimensions["C"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

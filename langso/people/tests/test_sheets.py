import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from langso.people.sheets import template_workbook
from langso.people.xlsx_reader import XlsxSheet


def openpyxl_values(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    ws.reset_dimensions()
    return [list(row) for row in ws.iter_rows(values_only=True)]


def fast_values(data: bytes) -> list[list]:
    sheet = XlsxSheet(io.BytesIO(data))
    try:
        return [values for _n, values in sheet.rows()]
    finally:
        sheet.close()


def normal(row: list) -> list:
    """'' and None both mean an empty cell; trailing empty cells do not count."""
    values = [None if v == "" else v for v in row]
    while values and values[-1] is None:
        values.pop()
    return values


def workbook_bytes(write_only: bool) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Dân cư") if write_only else wb.active
    ws.append(["Mã hộ", "Họ và tên", "Ngày sinh", "Số", "Có", "Vĩ độ"])
    ws.append(["05641-1", "Nguyễn Văn An", datetime(1980, 5, 17), 19080012345, True, 21.7044])
    ws.append(["05641-2", None, "17/05/1980", "019080012345", False, None])
    if not write_only:
        ws["C2"].number_format = "dd/mm/yyyy"
        ws["H3"] = "xa"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_fast_reader_reads_what_openpyxl_reads():
    for data in (workbook_bytes(False), workbook_bytes(True), template_workbook()):
        expected = [normal(row) for row in openpyxl_values(data)]
        assert [normal(row) for row in fast_values(data)] == [r for r in expected if r]


def test_fast_reader_keeps_dates_numbers_and_text_apart():
    rows = fast_values(workbook_bytes(False))
    assert rows[1][:6] == [
        "05641-1",
        "Nguyễn Văn An",
        datetime(1980, 5, 17),
        19080012345,
        True,
        21.7044,
    ]
    assert rows[2][:5] == ["05641-2", None, "17/05/1980", "019080012345", False]
    assert rows[2][7] == "xa"
    assert isinstance(rows[1][2], datetime) and rows[1][2].date() == date(1980, 5, 17)

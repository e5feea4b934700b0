import io
import sys
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from langso.people import sheets
from langso.people.imports import ImportReport, parse_row
from langso.people.sheets import (
    SheetError,
    openpyxl_rows,
    reaches_too_far,
    read_rows,
    template_workbook,
    xlsx_rows,
)

from .factories import HEAD_ROW, HEADERS, csv_file, xlsx_file


def openpyxl_values(data: bytes) -> list[list]:
    return [list(values) for _n, values in openpyxl_rows(io.BytesIO(data))]


def calamine_values(data: bytes) -> list[list]:
    return [list(values) for _n, values in xlsx_rows(io.BytesIO(data))]


def normal(row: list) -> list:
    """'' and None both mean an empty cell, trailing empty cells do not count, and a date
    cell may come as a date or as a datetime at midnight."""
    values = [
        None if v == "" else v.date() if isinstance(v, datetime) and v == v.replace(hour=0) else v
        for v in row
    ]
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


def package(sheet_xml: str, extra: dict[str, str] | None = None) -> bytes:
    """A minimal .xlsx with the given first-sheet XML, written by hand."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}">{sheet_xml}</worksheet>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


def test_the_excel_reader_reads_what_openpyxl_reads():
    for data in (workbook_bytes(False), workbook_bytes(True), template_workbook()):
        expected = [normal(row) for row in openpyxl_values(data)]
        assert [normal(row) for row in calamine_values(data)] == expected


def test_excel_cells_keep_dates_numbers_and_text_apart():
    rows = calamine_values(workbook_bytes(False))
    assert rows[1][:6] == [
        "05641-1",
        "Nguyễn Văn An",
        date(1980, 5, 17),
        19080012345,
        True,
        21.7044,
    ]
    assert rows[2][:5] == ["05641-2", "", "17/05/1980", "019080012345", False]
    assert rows[2][7] == "xa"


def test_row_numbers_are_those_the_spreadsheet_shows_even_below_empty_rows_and_columns():
    wb = Workbook()
    ws = wb.active
    for column, header in enumerate(HEADERS, start=2):  # from column B, header on row 3
        ws.cell(row=3, column=column, value=header)
    for column, value in enumerate(HEAD_ROW, start=2):
        ws.cell(row=5, column=column, value=value)  # row 4 left empty
    out = io.BytesIO()
    wb.save(out)
    rows = list(read_rows(io.BytesIO(out.getvalue()), "dan-cu.xlsx"))
    assert [number for number, _raw in rows] == [5]
    assert rows[0][1]["full_name"] == "Hoàng Văn Bình"


def test_a_short_csv_line_reads_its_missing_cells_as_empty():
    f = csv_file([HEAD_ROW[:6]])
    [(number, raw)] = read_rows(f, "dan-cu.csv")
    assert number == 2
    assert raw["full_name"] == "Hoàng Văn Bình"
    assert raw["sex"] is None and raw["relation_to_head"] is None


def test_a_reference_far_away_is_seen_however_the_attribute_is_spelled():
    far_cell = '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>{}</sheetData>'
    for cell in (
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
        "<row r='5'><c r = 'XFD5'><v>2</v></c></row>",
        '<row r="900000"><c><v>2</v></c></row>',  # a row number alone
        '<row r="2"><c r="ZZZZ2"><v>2</v></c></row>',
    ):
        assert reaches_too_far(package(far_cell.format(cell))), cell
    near = package(
        far_cell.format('<row r="120000"><c r="K120000"><v>2</v></c></row>'),
        # attributes that end in r or carry a prefix are not cell references
        {"xl/theme/theme1.xml": '<a:x lastClr="FFFFFF" dir="5400000" xmlns:r="http://x"/>'},
    )
    assert not reaches_too_far(near)
    assert not reaches_too_far(xlsx_file([HEAD_ROW]).getvalue())


def test_a_sheet_reaching_far_is_streamed_instead_of_read_whole(monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(HEAD_ROW)
    ws["XFD1048576"].font = Font(bold=True)  # an empty formatted cell at the very end
    out = io.BytesIO()
    wb.save(out)

    def refuse(*args, **kwargs):
        raise AssertionError("calamine would allocate every cell up to XFD1048576")

    monkeypatch.setattr(sheets, "CalamineWorkbook", refuse)
    rows = list(read_rows(io.BytesIO(out.getvalue()), "dan-cu.xlsx"))
    assert [(n, raw["household_code"]) for n, raw in rows] == [(2, "05641-10001")]


@pytest.mark.parametrize(
    "data",
    [
        package("<sheetData><row><c><v>1</v></row></sheetData>"),  # unclosed <c>
        package('<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>'),
    ],
    ids=["broken-xml", "missing-shared-string"],
)
def test_a_malformed_sheet_is_a_sheet_error_in_vietnamese(data):
    with pytest.raises(SheetError, match=r"Không đọc được tệp Excel \(\.xlsx\)\."):
        list(read_rows(io.BytesIO(data), "dan-cu.xlsx"))


def _count_calls(function) -> int:
    """Python calls and calls into C made by `function`: the same for the same input, so
    comparing two inputs says how the work grows with no clock involved."""
    count = 0

    def profiler(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("make", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_reading_and_parsing_twice_the_rows_takes_about_twice_the_work(make):
    """Issue 14: parsing must be linear in the size of the file. calamine's own work (Rust)
    is one call whatever the size; everything the import does in Python is counted."""

    def rows(n: int) -> list:
        out = []
        for i in range(n):
            row = [*HEAD_ROW]
            row[0] = f"05641-{i:05d}"
            row[8] = f"0190701{i:05d}"
            out.append(row)
        return out

    def work(n: int) -> int:
        data = make(rows(n)).getvalue()
        name = "dan-cu.xlsx" if make is xlsx_file else "dan-cu.csv"
        today = date(2026, 1, 1)

        def parse():
            report = ImportReport()
            for number, raw in read_rows(io.BytesIO(data), name):
                parse_row(number, raw, report, today)
            assert report.error_count == 0

        return _count_calls(parse)

    small, large = work(1000), work(2000)
    assert large <= 2.5 * small, (small, large)
    assert large >= 1.5 * small, (small, large)  # the count does follow the rows


def test_columns_in_any_order_beside_unknown_ones_are_read_by_their_header():
    order = [5, 0, 10, 7, 6, 1, 2, 3, 4, 8, 9]
    headers = ["Ghi chú", *(HEADERS[i] for i in order)]
    f = csv_file([["xin chào", *(HEAD_ROW[i] for i in order)]], headers=headers)
    [(number, raw)] = read_rows(f, "dan-cu.csv")
    assert number == 2
    assert raw == {column.key: HEAD_ROW[i] for i, column in enumerate(sheets.COLUMNS)}

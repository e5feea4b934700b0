"""A streaming reader of the first worksheet of an .xlsx file, values only.

openpyxl builds a cell object per value and reads ~5,000 rows of 11 columns a second;
reading the sheet XML directly is several times faster, which matters for a commune's
whole population. Only what a population sheet needs: shared and inline strings,
numbers, booleans, and date cells (recognised by their number format).
"""

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any

# Zip members of an uploaded file; expat (>= 2.4.1, bundled with Python 3.11) refuses
# entity-expansion bombs and never fetches external entities.
from xml.etree.ElementTree import iterparse, parse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if ch.isalpha():
            index = index * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return index - 1


def _text_of(element) -> str:
    """Text runs of a shared or inline string, without phonetic (rPh) runs."""
    parts = []
    for child in element:
        if child.tag == NS + "t":
            parts.append(child.text or "")
        elif child.tag == NS + "r":
            parts.extend(t.text or "" for t in child.iter(NS + "t"))
    return "".join(parts)


class XlsxSheet:
    """Opens the package and reads the metadata; `rows()` then streams the first sheet."""

    def __init__(self, file: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(file)
        names = set(self.zip.namelist())
        workbook = self._parse("xl/workbook.xml")
        pr = workbook.find(f"{NS}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
        self.epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        first = workbook.find(f"{NS}sheets/{NS}sheet")
        rel_id = first.get(f"{REL_NS}id")
        rels = self._parse("xl/_rels/workbook.xml.rels")
        target = next(
            r.get("Target") for r in rels.iter(f"{PKG_REL_NS}Relationship") if r.get("Id") == rel_id
        )
        self.sheet_path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        self.shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for _event, el in iterparse(self.zip.open("xl/sharedStrings.xml")):  # noqa: S314
                if el.tag == NS + "si":
                    self.shared.append(_text_of(el))
                    el.clear()
        self.date_styles: set[int] = set()
        if "xl/styles.xml" in names:
            styles = self._parse("xl/styles.xml")
            custom = {
                int(f.get("numFmtId")): f.get("formatCode", "") for f in styles.iter(f"{NS}numFmt")
            }
            xfs = styles.find(f"{NS}cellXfs")
            for index, xf in enumerate(xfs if xfs is not None else []):
                fmt_id = int(xf.get("numFmtId", "0"))
                code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
                if code and is_date_format(code):
                    self.date_styles.add(index)

    def _parse(self, name: str):
        return parse(self.zip.open(name)).getroot()  # noqa: S314

    def _value(self, c) -> Any:
        kind = c.get("t", "n")
        if kind == "inlineStr":
            inline = c.find(f"{NS}is")
            return _text_of(inline) if inline is not None else ""
        v = c.find(f"{NS}v")
        if v is None or v.text is None:
            return None
        text = v.text
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return text == "1"
        if kind in ("str", "e", "d"):
            return text
        number = float(text)
        if int(c.get("s", "0")) in self.date_styles:
            return from_excel(number, self.epoch)
        return (
            int(number) if number.is_integer() and "." not in text and "E" not in text else number
        )

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        row_tag, cell_tag = NS + "row", NS + "c"
        number = 0
        for _event, row in iterparse(self.zip.open(self.sheet_path)):  # noqa: S314
            if row.tag != row_tag:
                continue
            number = int(row.get("r") or number + 1)
            values: list[Any] = []
            for c in row.iter(cell_tag):
                ref = c.get("r")
                index = _column_index(ref) if ref else len(values)
                if index > len(values):
                    values.extend([None] * (index - len(values)))
                values.append(self._value(c))
            row.clear()
            yield number, values

    def close(self) -> None:
        self.zip.close()

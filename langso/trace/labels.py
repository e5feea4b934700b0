"""QR labels: SVG/PNG for packaging designers and a printable PDF sheet (A4, 3 x 8).

Every symbol keeps the 4-module quiet zone that ISO/IEC 18004 asks for (`QUIET_ZONE`), in
the images and on the sheet, where nothing else is drawn inside it. On the sheet each code
is also a link annotation to the same URI, so the PDF says what it prints."""

from __future__ import annotations

import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from langso.core.pdf import register_fonts

from .identifiers import batch_qr_uri
from .queries import ancestors_of

COLUMNS, ROWS = 3, 8
QUIET_ZONE = 4  # modules of light margin around the symbol (ISO/IEC 18004)
LABEL_W, LABEL_H = 70 * mm, 37 * mm
MARGIN_X, MARGIN_Y = 0, 0.5 * mm + (297 * mm - ROWS * 37 * mm) / 2


def qr(uri: str):
    # error correction M: survives a scratched label, still a small symbol for ~70 chars
    return segno.make(uri, error="m", micro=False)


def qr_svg(uri: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    qr(uri).save(out, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False)
    return out.getvalue()


def qr_png(uri: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(uri).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def label_sheet_pdf(batch, *, count: int = ROWS * COLUMNS, serial_from: int | None = None) -> bytes:
    """`count` labels of the batch; with `serial_from`, each label is one unit (AI 21)."""
    regular, bold = register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Tem truy xuất – {batch.product.name} – lô {batch.lot}")
    pdf.setAuthor(batch.producer.name)
    per_page = COLUMNS * ROWS
    # a processed batch was harvested when its raw material was
    harvested_on = batch.harvested_on or max(
        (a.harvested_on for a in ancestors_of(batch) if a.harvested_on), default=None
    )
    for index in range(count):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + col * LABEL_W
        y = A4[1] - MARGIN_Y - (row + 1) * LABEL_H
        serial = str(serial_from + index) if serial_from is not None else ""
        _draw_label(pdf, batch, x, y, serial, regular, bold, harvested_on)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _draw_label(pdf, batch, x, y, serial, regular, bold, harvested_on) -> None:
    uri = batch_qr_uri(batch, serial)
    code = qr(uri)
    size = 31 * mm
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    cell = size / modules
    left, top = x + 4 * mm, y + LABEL_H - 3 * mm
    path = pdf.beginPath()
    for r, row in enumerate(code.matrix_iter(scale=1, border=QUIET_ZONE)):
        for c, dark in enumerate(row):
            if dark:
                path.rect(left + c * cell, top - (r + 1) * cell, cell, cell)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.linkURL(uri, (left, top - size, left + size, top), relative=0)
    tx = x + size + 5 * mm
    width = LABEL_W - size - 9 * mm
    pdf.setFont(bold, 8.5)
    lines = _wrap(batch.product.name, bold, 8.5, width, pdf)[:2]
    ty = y + LABEL_H - 7 * mm
    for line in lines:
        pdf.drawString(tx, ty, line)
        ty -= 10
    pdf.setFont(regular, 7)
    info = [f"Lô: {batch.lot}"]
    if serial:
        info.append(f"Số: {serial}")
    if harvested_on:
        info.append(f"Thu hoạch: {harvested_on:%d/%m/%Y}")
    if batch.expires_on:
        info.append(f"HSD: {batch.expires_on:%d/%m/%Y}")
    info += _wrap(batch.producer.name, regular, 7, width, pdf)[:2]
    info += _wrap("Quét mã để xem nguồn gốc", regular, 7, width, pdf)
    for line in info:
        pdf.drawString(tx, ty, line)
        ty -= 9


def _wrap(text: str, font: str, size: float, width: float, pdf) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if pdf.stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines

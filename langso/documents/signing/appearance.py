"""The visible signature stamp put on uploaded PDFs: the same seal-and-signature image as
rendered documents carry, drawn by reportlab (which embeds the Vietnamese font) into a
one-page PDF that pyHanko imports as the signature field's appearance."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone
from pyhanko.stamp import StaticStampStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ..rendering import SealAndSignature, document_fonts

STAMP_WIDTH, STAMP_HEIGHT = 70 * mm, 40 * mm


def render_stamp_pdf(path: Path, *, agency: str, province: str, when) -> None:
    regular, *_faces = document_fonts()
    # Our font from the start: no unembedded Helvetica in the stamp's resources.
    pdf = canvas.Canvas(str(path), pagesize=(STAMP_WIDTH, STAMP_HEIGHT), initialFontName=regular)
    note = f"Ký bởi: {agency}\nThời gian ký: {timezone.localtime(when):%d/%m/%Y %H:%M}"
    SealAndSignature(
        seal_text=f"{agency} ★ {province}", note=note, width=STAMP_WIDTH, height=STAMP_HEIGHT
    ).drawOn(pdf, 0, 0)
    pdf.showPage()
    pdf.save()


@contextmanager
def upload_stamp(commune) -> Iterator[tuple[tuple[float, float], StaticStampStyle]]:
    """Yield ((width, height), style) for a visible stamp; the backing file lives only as
    long as the signing."""
    agency = f"Ủy ban nhân dân {commune.name}"
    province = commune.parent.name if commune.parent_id else ""
    with tempfile.TemporaryDirectory(prefix="langso-stamp-") as folder:
        path = Path(folder) / "stamp.pdf"
        render_stamp_pdf(path, agency=agency, province=province, when=timezone.now())
        yield (STAMP_WIDTH, STAMP_HEIGHT), StaticStampStyle.from_pdf_file(str(path), border_width=0)

"""PDF helpers shared by documents, labels and reports: fonts with full Vietnamese coverage.

The DejaVu fonts ship with the package (langso/core/fonts, Bitstream Vera licence), so PDFs
render the same on every machine."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "LangSoSans"
BOLD = "LangSoSans-Bold"


def register_fonts() -> tuple[str, str]:
    """Register the Vietnamese-capable fonts with reportlab once; return (regular, bold)."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
    return REGULAR, BOLD

"""Renders a commune document as a PDF laid out like a Vietnamese administrative document
(Decree 30/2020/NĐ-CP, Appendix I): the issuing body (ỦY BAN NHÂN DÂN / XÃ …, bold,
underlined) with the number and symbol ("Số: 12/QĐ-UBND") on the left; the national motto
and the place and date line in italics on the right; the document type and its summary
(a công văn has no type: its summary goes under the number as "V/v …" and it opens with
"Kính gửi:"); for a decision, the authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …") before
the "Căn cứ …" lines, which are in italics; the body with "Điều n." in bold; "Nơi nhận:" in
bold italics; the signer block with the red seal image of the digital signature.

Every font is embedded (DejaVu Sans in four faces; the canvas' initial font is ours too,
so no unembedded Helvetica is left in the resources)."""

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from langso.core.pdf import register_fonts

FONT_DIR = Path(__file__).parent / "fonts"
ITALIC, BOLD_ITALIC = "LangSoSans-Oblique", "LangSoSans-BoldOblique"

MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SEAL_RED = colors.Color(0.82, 0.07, 0.07)
INK_BLUE = colors.Color(0.05, 0.15, 0.55)

KIND_HEADINGS = {
    "decision": "QUYẾT ĐỊNH",
    "announcement": "THÔNG BÁO",
    "result": "THÔNG BÁO",  # the commune notifies the applicant of the dossier's result
    "certificate": "GIẤY XÁC NHẬN",
    "report": "BÁO CÁO",
}  # "other" is a công văn: no type name, "V/v <summary>" under the number
_ARTICLE = re.compile(r"^(Điều \d+\.)(\s.*)?$", re.DOTALL)


def document_fonts() -> tuple[str, str, str, str]:
    """(regular, bold, italic, bold italic), registered once, as one family so that <i>
    and <b> in paragraphs pick the right embedded face."""
    regular, bold = register_fonts()
    if ITALIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(ITALIC, str(FONT_DIR / "DejaVuSans-Oblique.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD_ITALIC, str(FONT_DIR / "DejaVuSans-BoldOblique.ttf")))
    pdfmetrics.registerFontFamily(
        regular, normal=regular, bold=bold, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    return regular, bold, ITALIC, BOLD_ITALIC


@dataclass
class DocumentLayout:
    """Everything printed on the page; built by the action from the commune and actor."""

    agency_parent: str  # e.g. "ỦY BAN NHÂN DÂN" (the body that issues)
    agency: str  # e.g. "XÃ VÔ TRANH"
    place: str  # e.g. "Vô Tranh"
    issued_on: dt.date
    reference: str
    kind: str
    title: str
    paragraphs: list[str]
    recipients: list[str] = field(default_factory=list)
    authority: str = ""  # decisions: "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …", before "Căn cứ"
    signer_capacity: str = "TM. ỦY BAN NHÂN DÂN"
    signer_position: str = "CHỦ TỊCH"
    signer_person: str = ""
    with_seal: bool = True  # False for a document registered unsigned: no seal image
    seal_text: str = ""  # text around the seal ring
    signature_note: str = ""  # "Ký bởi ... / Thời gian ..." printed beside the seal
    footer: str = ""  # verification hint on every page


def date_line(place: str, day: dt.date) -> str:
    """Decree 30: a day below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


class SealAndSignature(Flowable):
    """Decree 30 look of a digital signature: the signer's signature in blue ink and the
    agency's round red seal overlapping its left third, with the signing note below."""

    def __init__(
        self, *, seal_text: str, note: str, width: float = 70 * mm, height: float = 40 * mm
    ) -> None:
        super().__init__()
        self.seal_text = seal_text
        self.note = note
        self.width = width
        self.height = height

    #: (page index, (x1, y1, x2, y2)) where the last draw happened, in page coordinates
    placement: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        regular, bold = register_fonts()
        c = self.canv
        x, y = c.absolutePosition(0, 0)
        self.placement = (c.getPageNumber() - 1, (x, y, x + self.width, y + self.height))
        # Signature in ink: a few strokes, deterministic.
        c.saveState()
        c.setStrokeColor(INK_BLUE)
        c.setLineWidth(1.2)
        r = 14 * mm
        cx, cy = self.width * 0.34, self.height - r - 2
        x0, y0 = cx + r * 0.2, cy + 2
        path = c.beginPath()
        path.moveTo(x0, y0)
        path.curveTo(x0 + 12, y0 + 22, x0 + 20, y0 - 14, x0 + 32, y0 + 8)
        path.curveTo(x0 + 40, y0 + 20, x0 + 44, y0 - 8, x0 + 58, y0 + 4)
        path.curveTo(x0 + 66, y0 + 10, x0 + 70, y0 - 2, x0 + 86, y0 + 2)
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()
        # Seal: two rings, the agency name around, a star in the middle.
        c.saveState()
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(1.6)
        c.circle(cx, cy, r, stroke=1, fill=0)
        c.setLineWidth(0.8)
        c.circle(cx, cy, r * 0.68, stroke=1, fill=0)
        self._star(cx, cy, r * 0.32)
        text = self.seal_text.upper()
        if text:
            size = 5.6
            c.setFont(bold, size)
            span = 310.0  # degrees of the ring used by the text
            step = span / max(len(text), 1)
            start = 90 + span / 2
            for i, ch in enumerate(text):
                angle = math.radians(start - (i + 0.5) * step)
                rr = r * 0.84 - size / 3
                c.saveState()
                c.translate(cx + rr * math.cos(angle), cy + rr * math.sin(angle))
                c.rotate(math.degrees(angle) - 90)
                c.drawCentredString(0, -size / 3, ch)
                c.restoreState()
        c.restoreState()
        # Signing note, as Decree 30 asks for digital signatures of an agency.
        if self.note:
            c.saveState()
            c.setFillColor(SEAL_RED)
            c.setFont(regular, 6.5)
            y = 3
            for line in reversed(self.note.splitlines()):
                c.drawCentredString(self.width / 2, y, line)
                y += 8.5
            c.restoreState()

    def _star(self, cx: float, cy: float, radius: float) -> None:
        points = []
        for i in range(10):
            angle = math.radians(90 + i * 36)
            rr = radius if i % 2 == 0 else radius * 0.4
            points.append((cx + rr * math.cos(angle), cy + rr * math.sin(angle)))
        path = self.canv.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        self.canv.drawPath(path, stroke=0, fill=1)


def _styles():
    regular, bold, italic, bold_italic = document_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=15)
    return {
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, fontName=bold, alignment=TA_CENTER
        ),
        "date": ParagraphStyle(
            "date", parent=base, fontName=italic, alignment=TA_CENTER, fontSize=10.5
        ),
        "basis": ParagraphStyle(
            "basis", parent=base, fontName=italic, alignment=TA_JUSTIFY, firstLineIndent=10 * mm
        ),
        "summary": ParagraphStyle(
            "summary", parent=base, fontSize=10, leading=13, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=bold,
            fontSize=13,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=10,
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, alignment=TA_CENTER, spaceAfter=10
        ),
        "body": ParagraphStyle(
            "body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, alignment=TA_LEFT),
        "small_bold": ParagraphStyle(
            "small_bold", parent=base, fontName=bold, fontSize=9, leading=12
        ),
        "recipients_label": ParagraphStyle(
            "recipients_label", parent=base, fontName=bold_italic, fontSize=9.5, leading=12
        ),
        "footer_font": (regular, 7.5),
    }


def _underlined(text: str, bold_font: str) -> str:
    return f'<font name="{bold_font}"><u>{escape(text)}</u></font>'


def _body_paragraph(text: str, st) -> Paragraph:
    """A short line in capitals ("QUYẾT ĐỊNH:") is a section heading; "Căn cứ …" lines
    and the "Theo / Xét đề nghị" line are in italics; "Điều n." opens an article in bold."""
    e = escape
    if text.isupper() and len(text) < 40:
        return Paragraph(e(text), st["title"])
    if text.startswith(("Căn cứ", "Theo đề nghị", "Xét đề nghị")):
        return Paragraph(e(text).replace("\n", "<br/>"), st["basis"])
    article = _ARTICLE.match(text)
    if article:
        rest = e(article.group(2) or "").replace("\n", "<br/>")
        return Paragraph(f"<b>{e(article.group(1))}</b>{rest}", st["body"])
    return Paragraph(e(text).replace("\n", "<br/>"), st["body"])


def render_document(layout: DocumentLayout) -> bytes:
    """Return the PDF bytes of `layout` (A4, Vietnamese text embedded as TrueType)."""
    return render_document_with_seal(layout)[0]


def render_document_with_seal(layout: DocumentLayout):
    """Return (PDF bytes, placement of the seal image) — the placement lets the signature
    field sit exactly over the seal, so a PDF reader opens the signature panel there."""
    regular, bold, _italic, _bold_italic = document_fonts()
    st = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        initialFontName=regular,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=layout.title,
        author=layout.agency,
        subject=layout.reference,
        creator="Làng Số",
    )
    e = escape
    heading = KIND_HEADINGS.get(layout.kind)
    left = [
        Paragraph(e(layout.agency_parent), st["center_bold"]),
        Paragraph(_underlined(layout.agency, bold), st["center_bold"]),
        Spacer(1, 4),
        Paragraph(e("Số: " + layout.reference) if layout.reference else "Số:", st["center"]),
    ]
    if not heading:  # công văn: the summary under the number
        left.append(Paragraph(e("V/v " + layout.title), st["summary"]))
    right = [
        Paragraph(e(MOTTO_COUNTRY), st["center_bold"]),
        Paragraph(_underlined(MOTTO, bold), st["center_bold"]),
        Spacer(1, 4),
        Paragraph(e(date_line(layout.place, layout.issued_on)), st["date"]),
    ]
    header = Table([[left, right]], colWidths=[70 * mm, doc.width - 70 * mm])
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), regular),  # the cell default is Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list = [header, Spacer(1, 8 * mm)]
    if heading:
        story.append(Paragraph(e(heading), st["heading"]))
        story.append(Paragraph(e(layout.title), st["title"]))
    elif layout.recipients:
        story.append(Paragraph(e("Kính gửi: " + "; ".join(layout.recipients) + "."), st["center"]))
        story.append(Spacer(1, 6))
    if layout.authority:
        story.append(Paragraph(e(layout.authority), st["title"]))
    for text in layout.paragraphs:
        story.append(_body_paragraph(text, st))
    story.append(Spacer(1, 6 * mm))

    recipients = [Paragraph(e("Nơi nhận:"), st["recipients_label"])]
    recipients += [Paragraph(e("- " + r + ";"), st["small"]) for r in layout.recipients]
    recipients.append(Paragraph(e("- Lưu: VT."), st["small"]))
    seal = SealAndSignature(seal_text=layout.seal_text, note=layout.signature_note)
    signer = [
        Paragraph(e(layout.signer_capacity), st["center_bold"]),
        Paragraph(e(layout.signer_position), st["center_bold"]),
        seal if layout.with_seal else Spacer(seal.width, seal.height),
        Paragraph(e(layout.signer_person), st["center_bold"]),
    ]
    closing = Table([[recipients, signer]], colWidths=[doc.width - 80 * mm, 80 * mm])
    closing.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), regular),  # the cell default is Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(KeepTogether([closing]))

    def footer(canvas, document) -> None:
        if not layout.footer:
            return
        canvas.saveState()
        canvas.setFont(*st["footer_font"])
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 13 * mm, f"Trang {document.page}")
        canvas.drawCentredString(A4[0] / 2, 9 * mm, layout.footer)
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), seal.placement

"""Excel and PDF reports in the layout officials send upward: a criteria table with status
and evidence list for a commune, and a ranking of communes for a province."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from langso.core import formats
from langso.core.exports import safe_row
from langso.core.pdf import register_fonts

from .models import Status
from .queries.dashboards import CommuneOverview, CommuneRank

STATUS_FILL = {Status.MET: "E6F4EA", Status.BASICALLY_MET: "FFF4D6", Status.NOT_MET: "FDE8E8"}


def status_label(status: str) -> str:
    return str(Status(status).label)


def _plain(number) -> str:
    """1.00 -> "1", 62.50 -> "62,5", 1250 -> "1.250" (as Vietnamese readers write them)."""
    return formats.number(number)


def commune_rows(overview: CommuneOverview) -> list[list[str]]:
    rows = []
    for r in overview.rows:
        rows.append([r.criterion.number, r.criterion.name, "", "", status_label(r.status), ""])
        for s in r.indicators:
            evidence = ""
            if s.own is not None:
                evidence = ", ".join(e.original_name for e in s.own.evidence.all())
            value = "" if s.value is None else formats.number(s.value)
            if s.denominator:
                value += f" ({_plain(s.numerator)}/{_plain(s.denominator)})"
            if s.carried:
                value += " *"
            threshold = (
                ""
                if s.threshold is None
                else f"{s.indicator.get_comparator_display()} {_plain(s.threshold)}"
            )
            rows.append(
                [
                    s.indicator.number,
                    s.indicator.name,
                    value,
                    threshold,
                    status_label(s.status),
                    evidence,
                ]
            )
    return rows


COMMUNE_HEAD = ["Số", "Tiêu chí / chỉ tiêu", "Giá trị", "Ngưỡng", "Kết quả", "Minh chứng"]
PROVINCE_HEAD = ["Hạng", "Xã", "Mã", "Số tiêu chí đạt", "Tổng số tiêu chí"]


def _title_commune(o: CommuneOverview) -> list[str]:
    return [
        _("BÁO CÁO KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NÔNG THÔN MỚI"),
        f"{o.unit.name}, {o.unit.parent.name if o.unit.parent else ''} - năm {o.year}",
        f"{o.criteria_set.name} ({o.criteria_set.decision})",
        _("Số tiêu chí đạt: %(met)s/%(total)s") % {"met": o.met, "total": o.total},
    ]


def _xlsx(
    title: list[str], head: list[str], rows: list[list], widths: list[int], status_col: int | None
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bao cao"
    for line in title:
        ws.append(safe_row([line]))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(safe_row(head))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))
        if status_col is not None:
            status = next((s for s in STATUS_FILL if status_label(s) == row[status_col]), None)
            if status:
                ws.cell(ws.max_row, status_col + 1).fill = PatternFill(
                    "solid", fgColor=STATUS_FILL[status]
                )
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    ws.append(
        [_("Lập lúc %(at)s trên Làng Số") % {"at": timezone.localtime().strftime("%d/%m/%Y %H:%M")}]
    )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _pdf(
    title: list[str], head: list[str], rows: list[list], widths: list[float], note: str = ""
) -> bytes:
    regular, bold = register_fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=8, leading=10)
    strong = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, spaceAfter=4)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title[0],
    )
    story = [Paragraph(title[0], strong)]
    story += [Paragraph(line, body) for line in title[1:]]
    story.append(Spacer(1, 6))
    data = [[Paragraph(f"<b>{h}</b>", body) for h in head]]
    data += [[Paragraph(str(c), body) for c in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6F4EA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if note:
        story += [Spacer(1, 6), Paragraph(note, body)]
    doc.build(story)
    return out.getvalue()


CARRIED_NOTE = "(*) Giá trị chuyển từ các xã trước sắp xếp theo quy tắc của từng chỉ tiêu."


def commune_xlsx(overview: CommuneOverview) -> bytes:
    return _xlsx(
        _title_commune(overview),
        COMMUNE_HEAD,
        commune_rows(overview),
        [7, 60, 18, 12, 14, 40],
        status_col=4,
    )


def commune_pdf(overview: CommuneOverview) -> bytes:
    return _pdf(
        _title_commune(overview),
        COMMUNE_HEAD,
        commune_rows(overview),
        [14, 100, 32, 22, 30, 75],
        note=CARRIED_NOTE,
    )


def _title_province(unit, year, cset, ranking) -> list[str]:
    complete = sum(1 for r in ranking if r.total and r.met == r.total)
    return [
        _("BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI"),
        f"{unit.name} - năm {year}",
        cset.name if cset else "",
        _("%(n)s/%(total)s xã đạt tất cả tiêu chí") % {"n": complete, "total": len(ranking)},
    ]


def province_rows(ranking: list[CommuneRank]) -> list[list]:
    return [[r.rank, r.unit.name, r.unit.code, r.met, r.total] for r in ranking]


def province_xlsx(unit, year, cset, ranking) -> bytes:
    return _xlsx(
        _title_province(unit, year, cset, ranking),
        PROVINCE_HEAD,
        province_rows(ranking),
        [7, 40, 10, 16, 16],
        status_col=None,
    )


def province_pdf(unit, year, cset, ranking) -> bytes:
    return _pdf(
        _title_province(unit, year, cset, ranking),
        PROVINCE_HEAD,
        province_rows(ranking),
        [16, 120, 30, 40, 40],
    )

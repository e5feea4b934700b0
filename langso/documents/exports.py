"""Excel export of the document register (sổ đăng ký văn bản đi)."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from langso.core.exports import safe_row

HEADERS = [
    "Số, ký hiệu",
    "Ngày ban hành",
    "Loại văn bản",
    "Trích yếu",
    "Nơi nhận",
    "Xã",
    "Ký số lúc",
    "Chứng thư (người ký)",
    "Mức chữ ký",
    "Mã công khai",
    "SHA-256",
]


def register_workbook(documents) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "So van ban"
    ws.append(safe_row(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for d in documents.iterator(chunk_size=500):
        ws.append(
            safe_row(
                [
                    d.reference,
                    timezone.localtime(d.created_at).strftime("%d/%m/%Y"),
                    d.get_kind_display(),
                    d.title,
                    d.recipient,
                    d.commune.name,
                    timezone.localtime(d.signed_at).strftime("%d/%m/%Y %H:%M:%S")
                    if d.signed_at
                    else "",
                    d.signer_name,
                    d.signature_level,
                    str(d.public_id),
                    d.sha256,
                ]
            )
        )
    for column, width in zip(
        "ABCDEFGHIJK", (14, 12, 18, 50, 30, 18, 20, 32, 8, 38, 66), strict=True
    ):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()

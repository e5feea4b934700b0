"""The dossier register (sổ theo dõi hồ sơ) as an Excel workbook."""

from datetime import date
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from langso.core import audit
from langso.core.exports import safe_row
from langso.core.models import AuditAction

from .queries import register_rows
from .working_time import MINUTES_PER_DAY

HEADERS = [
    "Mã biên nhận",
    "Mã TTHC",
    "Thủ tục",
    "Lĩnh vực",
    "Người nộp",
    "Số điện thoại",
    "Kênh nộp",
    "Trạng thái",
    "Mã trạng thái (Cổng DVC quốc gia)",
    "Ngày nộp",
    "Hạn trả kết quả",
    "Hẹn lại (phiếu xin lỗi)",
    "Ngày giải quyết",
    "Tiến độ",
    "Số ngày làm việc xử lý",
    "Đánh giá",
]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def register_workbook(user, *, start: date | None = None, end: date | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So theo doi ho so")
    ws.append(safe_row(HEADERS))
    count = 0
    for d in register_rows(user, start=start, end=end).iterator(chunk_size=1000):
        rating = getattr(d, "rating", None)
        ws.append(
            safe_row(
                [
                    d.receipt_code,
                    d.procedure.code,
                    d.procedure.name,
                    d.procedure.get_field_display(),
                    d.applicant_name,
                    d.applicant_phone,
                    d.get_channel_display(),
                    d.get_state_display(),
                    d.portal_status,
                    _local(d.submitted_at),
                    _local(d.due_at),
                    _local(d.extended_due_at),
                    _local(d.settled_at),
                    d.get_timeliness_display() if d.timeliness else "",
                    round(d.processing_minutes / MINUTES_PER_DAY, 2)
                    if d.processing_minutes is not None
                    else None,
                    rating.get_level_display() if rating else "",
                ]
            )
        )
        count += 1
    buffer = BytesIO()
    wb.save(buffer)
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="procedures.Dossier",
        object_repr=f"Sổ theo dõi hồ sơ ({count} dòng)",
        fields={"rows": count, "start": str(start or ""), "end": str(end or "")},
        purpose="xuất sổ theo dõi hồ sơ",
    )
    return buffer.getvalue()

"""Demo of the documents app: the demo CA and Vô Tranh's certificate, and a few signed
commune documents issued by the chairman and an official."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from langso.core.pdf import register_fonts
from langso.people.models import User

from .actions import issue_document, upload_document
from .models import Document
from .signing import certificates

DOCUMENTS = [
    (
        "chutich.votranh",
        "decision",
        "Về việc công nhận xóm Khe Cốc đạt chuẩn khu dân cư nông thôn mới kiểu mẫu năm 2025",
        [
            "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
            "Căn cứ Quyết định số 18/2022/QĐ-TTg của Thủ tướng Chính phủ ban hành quy định "
            "điều kiện, trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định "
            "công nhận địa phương đạt chuẩn nông thôn mới;",
            "Xét đề nghị của Ban phát triển xóm Khe Cốc và kết quả thẩm định của Ban quản lý các "
            "chương trình mục tiêu quốc gia xã,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Công nhận xóm Khe Cốc đạt chuẩn khu dân cư nông thôn mới kiểu mẫu năm 2025.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng HĐND và UBND xã, Trưởng "
            "xóm Khe Cốc và các cơ quan liên quan chịu trách nhiệm thi hành Quyết định này.",
        ],
        "Ban phát triển xóm Khe Cốc; Đảng ủy xã",
    ),
    (
        "canbo.votranh",
        "announcement",
        "Lịch tiếp công dân và giải quyết thủ tục hành chính tháng 12",
        [
            "Bộ phận Một cửa xã Vô Tranh tiếp nhận hồ sơ từ thứ Hai đến thứ Sáu, sáng từ 7 giờ 30 "
            "đến 11 giờ 30, chiều từ 13 giờ 30 đến 17 giờ; sáng thứ Bảy tiếp nhận hồ sơ đất đai và "
            "chứng thực.",
            "Người dân có thể nộp hồ sơ trực tuyến toàn trình trên Cổng dịch vụ công và theo dõi "
            "kết quả bằng mã biên nhận.",
        ],
        "Các xóm; Đài truyền thanh xã",
    ),
    (
        "canbo.votranh",
        "certificate",
        "Xác nhận cư trú",
        [
            "Ủy ban nhân dân xã Vô Tranh xác nhận: bà Hoàng Thị Mai, sinh ngày 12/04/1990, hiện cư "
            "trú tại xóm Đồng Danh, xã Vô Tranh, tỉnh Thái Nguyên.",
            "Giấy xác nhận này có giá trị 30 ngày kể từ ngày ký.",
        ],
        "Bà Hoàng Thị Mai",
    ),
]


def office_pdf(title: str, lines: list[str]) -> bytes:
    """A plain one-page PDF, as an office suite would export it."""
    regular, bold = register_fonts()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(bold, 14)
    pdf.drawCentredString(A4[0] / 2, A4[1] - 90, title)
    pdf.setFont(regular, 11)
    for i, line in enumerate(lines):
        pdf.drawString(70, A4[1] - 130 - 18 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def load_demo(*, commune, province, seed: int, stdout) -> None:
    files = certificates.ensure_demo_commune_certificate(commune)
    certificates.ensure_demo_tsa()
    stdout.write(f"  chứng thư số mẫu của {commune.name}: {files.cert}")
    if Document.objects.filter(commune=commune).exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["chutich.votranh", "canbo.votranh"])
    }
    for username, kind, title, paragraphs, recipient in DOCUMENTS:
        if username in users:
            issue_document(
                actor=users[username],
                commune=commune,
                title=title,
                paragraphs=paragraphs,
                kind=kind,
                recipient=recipient,
            )
    official = users.get("canbo.votranh")
    if official is not None:
        # A PDF made elsewhere (a scanned report, say), registered and signed on upload,
        # and one kept unsigned so the register shows both states.
        made_elsewhere = office_pdf(
            "BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI QUÝ III",
            [
                "Báo cáo được lập bằng phần mềm văn phòng và tải lên để ký số.",
                f"Đơn vị: {commune.name}, {province.name}.",
            ],
        )
        upload_document(
            actor=official,
            commune=commune,
            data=made_elsewhere,
            kind="report",
            title="Báo cáo kết quả xây dựng nông thôn mới quý III",
            reference="45/BC-UBND",
        )
        upload_document(
            actor=official,
            commune=commune,
            data=made_elsewhere,
            kind="other",
            title="Bản nháp kế hoạch chuyển đổi số năm 2026",
            sign=False,
        )
    stdout.write(f"  {Document.objects.filter(commune=commune).count()} văn bản điện tử")

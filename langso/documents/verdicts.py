"""Vietnamese wording of verification results, shared by the page and the API."""

from django.utils.translation import gettext_lazy as _

from .signing.verification import NOT_A_PDF, TAMPERED, UNSIGNED, UNTRUSTED_SIGNER, VALID

HEADLINES = {
    VALID: _("Chữ ký số hợp lệ. Văn bản không bị thay đổi sau khi ký."),
    TAMPERED: _("Văn bản đã bị thay đổi sau khi ký: chữ ký không còn giá trị."),
    UNTRUSTED_SIGNER: _(
        "Chữ ký còn nguyên vẹn nhưng người ký không được tin cậy "
        "(chứng thư không thuộc tổ chức cung cấp dịch vụ được công nhận)."
    ),
    UNSIGNED: _("Tệp PDF này không có chữ ký số."),
    NOT_A_PDF: _("Tệp không phải là PDF hoặc không đọc được."),
}

LABELS = {
    VALID: _("Hợp lệ"),
    TAMPERED: _("Đã bị sửa đổi"),
    UNTRUSTED_SIGNER: _("Người ký không được tin cậy"),
    UNSIGNED: _("Chưa ký số"),
    NOT_A_PDF: _("Không phải PDF"),
}

BADGES = {
    VALID: "ok",
    TAMPERED: "err",
    UNTRUSTED_SIGNER: "warn",
    UNSIGNED: "warn",
    NOT_A_PDF: "err",
}

PROBLEMS = {
    "digest_mismatch": _("Nội dung đã ký không khớp với chữ ký (dữ liệu bị sửa)."),
    "bad_signature": _("Giá trị chữ ký không đúng."),
    "modified_after_signing": _("Có nội dung được thêm hoặc sửa sau khi ký."),
    "malformed": _("Chữ ký bị hỏng, không đọc được."),
    "no_trust_path": _("Không xây dựng được đường dẫn tin cậy tới chứng thư gốc đã cấu hình."),
    "revoked": _("Chứng thư của người ký đã bị thu hồi."),
    "untrusted": _("Chứng thư của người ký không được tin cậy."),
}

MODIFICATIONS = {
    "none": _("Không thay đổi"),
    "lta_updates": _("Chỉ bổ sung dữ liệu kiểm tra và dấu thời gian"),
    "form_filling": _("Có thêm chữ ký hoặc điền biểu mẫu sau khi ký"),
    "annotations": _("Có thêm ghi chú sau khi ký"),
    "other": _("Có thay đổi nội dung sau khi ký"),
}


def headline(code: str) -> str:
    return str(HEADLINES[code])


def problem_text(problem: str) -> str:
    return str(PROBLEMS.get(problem, PROBLEMS["untrusted"])) if problem else ""

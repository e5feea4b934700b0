from io import BytesIO

from pypdf import PdfReader

from langso.documents.tests.factories import plain_pdf


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_issued_document_renders_vietnamese_text_that_can_be_extracted_back(signed_pdf):
    text = _text(signed_pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN\n XÃ VÔ TRANH" in text
    assert "GIẤY XÁC NHẬN" in text
    assert "Xác nhận cư trú của ông Nguyễn Văn An" in text
    assert "xóm Khe Cốc, xã Vô Tranh, tỉnh Thái Nguyên" in text


def test_issued_document_carries_number_place_date_signer_block_and_recipients(
    signed_document, signed_pdf
):
    text = _text(signed_pdf)
    assert "Số: 1/GXN-UBND" in text
    assert "Vô Tranh, ngày" in text
    assert "TL. CHỦ TỊCH" in text
    assert "Ký bởi: Ủy ban nhân dân Xã Vô Tranh" in text
    assert "Nơi nhận:" in text and "Ông Nguyễn Văn An;" in text
    assert str(signed_document.public_id) in text  # the verification hint in the footer


def test_long_body_flows_onto_a_second_page():
    from pypdf import PdfReader

    data = plain_pdf("Thông báo dài " * 600)
    assert len(PdfReader(BytesIO(data)).pages) >= 2


def test_a_document_registered_unsigned_carries_no_seal_image(official, commune):
    from langso.documents.actions import issue_document

    document = issue_document(
        actor=official, commune=commune, title="Nháp", paragraphs=["Nội dung nháp."], sign=False
    )
    with document.file.open("rb") as fh:
        text = _text(fh.read())
    assert "Ký bởi" not in text and "N H Â N" not in text  # no note, no ring text
    assert "Nội dung nháp." in text


# --- Decree 30/2020/NĐ-CP layout --------------------------------------------------------


def _runs(data: bytes) -> list[tuple[str, str]]:
    """(text, font name) of every text run on the first page, in drawing order."""
    runs: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), str((font or {}).get("/BaseFont", ""))))

    PdfReader(BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def _issue(actor, commune, **kw):
    from langso.documents.actions import issue_document

    document = issue_document(actor=actor, commune=commune, **kw)
    with document.file.open("rb") as fh:
        return document, fh.read()


def test_a_decision_has_its_authority_line_before_the_legal_bases_in_italics(leader, commune):
    document, data = _issue(
        leader,
        commune,
        title="Về việc công nhận xóm Khe Cốc đạt chuẩn nông thôn mới kiểu mẫu",
        paragraphs=[
            "Căn cứ Luật Tổ chức chính quyền địa phương;",
            "Xét đề nghị của Ban phát triển xóm Khe Cốc,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Công nhận xóm Khe Cốc.",
        ],
        kind="decision",
        sign=False,
    )
    text = _text(data)
    assert document.reference == "1/QĐ-UBND" and "Số: 1/QĐ-UBND" in text
    order = [
        text.index("QUYẾT ĐỊNH\n"),
        text.index("ỦY BAN NHÂN DÂN XÃ VÔ TRANH"),
        text.index("Căn cứ Luật"),
        text.index("QUYẾT ĐỊNH:"),
        text.index("Điều 1."),
    ]
    assert order == sorted(order)
    fonts = dict(_runs(data))
    assert fonts["Căn cứ Luật Tổ chức chính quyền địa phương;"].endswith("Oblique")
    assert fonts["Điều 1."].endswith("DejaVuSans-Bold")


def test_a_decision_signed_by_an_official_names_the_chair_as_the_authority(official, commune):
    _document, data = _issue(
        official, commune, title="Về việc X", paragraphs=["Căn cứ Y;"], kind="decision", sign=False
    )
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ VÔ TRANH" in _text(data)


def test_the_place_and_date_line_is_in_italics_with_decree_30_zeros(official, commune):
    import datetime as dt

    from langso.documents.rendering import date_line

    _document, data = _issue(official, commune, title="T", paragraphs=["x"], sign=False)
    dated = [(t, f) for t, f in _runs(data) if t.startswith("Vô Tranh, ngày")]
    assert dated and all(f.endswith("DejaVuSans-Oblique") for _t, f in dated)
    assert date_line("Vô Tranh", dt.date(2026, 12, 7)) == "Vô Tranh, ngày 07 tháng 12 năm 2026"
    assert date_line("Vô Tranh", dt.date(2026, 2, 7)) == "Vô Tranh, ngày 07 tháng 02 năm 2026"
    assert date_line("Vô Tranh", dt.date(2026, 3, 17)) == "Vô Tranh, ngày 17 tháng 3 năm 2026"


def test_a_dossier_result_is_a_numbered_notice_not_a_made_up_heading(official, commune):
    document, data = _issue(
        official, commune, title="Kết quả giải quyết hồ sơ H1", paragraphs=["x"], kind="result"
    )
    text = _text(data)
    assert document.reference == "1/TB-UBND" and "Số: 1/TB-UBND" in text
    assert "THÔNG BÁO" in text and "Kết quả giải quyết hồ sơ H1" in text
    assert "KẾT QUẢ GIẢI QUYẾT HỒ SƠ" not in text


def test_a_cong_van_carries_its_summary_under_the_number_and_opens_with_kinh_gui(official, commune):
    document, data = _issue(
        official,
        commune,
        title="Đôn đốc nộp báo cáo quý IV",
        paragraphs=["Đề nghị các xóm gửi báo cáo."],
        kind="other",
        recipient="Trưởng các xóm",
        sign=False,
    )
    text = _text(data)
    assert document.reference == "1/UBND"
    assert "V/v Đôn đốc nộp báo cáo quý IV" in text
    assert "Kính gửi: Trưởng các xóm." in text
    assert "Nơi nhận:" in text and dict(_runs(data))["Nơi nhận:"].endswith("BoldOblique")

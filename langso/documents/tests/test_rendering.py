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

import io
import zipfile

import pytest
from PIL import Image

from langso.core import uploads
from langso.core.uploads import (
    CSV,
    DOCX,
    IMAGES,
    JPEG,
    JSON,
    PDF,
    PNG,
    WEBP,
    XLSX,
    XML,
    ArchiveTooLarge,
    ImageTooLarge,
    TooManyFiles,
    UploadEmpty,
    UploadTooLarge,
    UploadWrongType,
    check_upload,
    check_uploads,
)

from .upload_files import (
    PDF_BYTES,
    docx_bytes,
    image_bytes,
    png_bomb,
    upload,
    xlsx_bomb,
    xlsx_bytes,
)

VALID = [
    (PDF, "don.pdf", PDF_BYTES),
    (PNG, "anh.png", image_bytes("PNG")),
    (JPEG, "anh.jpg", image_bytes("JPEG")),
    (WEBP, "anh.webp", image_bytes("WEBP")),
    (XLSX, "dan-cu.xlsx", xlsx_bytes()),
    (DOCX, "cong-van.docx", docx_bytes()),
    (CSV, "dan-cu.csv", "Họ và tên;Năm sinh\nNguyễn Văn A;1980\n".encode()),
    (XML, "bieu-mau.xml", '<?xml version="1.0"?><form><tên/></form>'.encode()),
    (JSON, "du-lieu.json", '{"thôn": "Khe Cốc"}'.encode()),
]


@pytest.mark.parametrize(("kind", "name", "data"), VALID, ids=[v[0] for v in VALID])
def test_a_valid_file_of_each_kind_is_accepted_with_its_real_kind(kind, name, data):
    checked = check_upload(upload(name, data), kinds=[kind])
    assert checked.kind == kind
    assert checked.size == len(data)
    assert checked.read() == data
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(("kind", "name", "data"), VALID, ids=[v[0] for v in VALID])
def test_a_file_of_another_kind_renamed_is_refused(kind, name, data):
    """Each valid file, renamed with the extension of every other kind, is refused for that
    kind: the name and the client's content type count for nothing."""
    for other, other_name, _ in VALID:
        if other == kind or {kind, other} <= {CSV, XML, JSON}:
            continue  # JSON and XML are also valid UTF-8 text, hence valid CSV
        with pytest.raises(UploadWrongType) as err:
            check_upload(upload(other_name, data, "application/pdf"), kinds=[other])
        assert err.value.code == "core.upload_wrong_type"


def test_a_text_file_named_pdf_is_refused_with_a_vietnamese_message():
    with pytest.raises(UploadWrongType) as err:
        check_upload(upload("to-khai.pdf", b"just text, not a PDF", "application/pdf"), kinds=[PDF])
    assert err.value.code == "core.upload_wrong_type"
    assert err.value.http_status == 422
    assert err.value.message == (
        "Tệp to-khai.pdf không đúng định dạng: chỉ nhận PDF. Nội dung tệp được kiểm tra, "
        "đổi tên tệp không có tác dụng."
    )


def test_an_image_bomb_is_refused_before_any_pixel_is_decoded(monkeypatch):
    # Without Pillow's own guard, so that the helper's check is what refuses it.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "verify", no_decoding)
    data = png_bomb(30000, 30000)
    assert len(data) < 200
    with pytest.raises(ImageTooLarge) as err:
        check_upload(upload("bom.png", data), kinds=IMAGES)
    assert err.value.code == "core.upload_image_too_large"
    assert "30000 × 30000" in err.value.message


def test_an_image_bomb_refused_by_pillow_itself_gives_the_same_error(settings):
    settings.LANGSO_UPLOAD_MAX_IMAGE_PIXELS = 10**12  # Pillow's DecompressionBombError acts
    with pytest.raises(ImageTooLarge) as err:
        check_upload(upload("bom.png", png_bomb()), kinds=IMAGES)
    assert err.value.message == (
        "Ảnh bom.png có kích thước quá lớn; tối đa 1000000 triệu điểm ảnh."
    )


def test_an_image_above_the_configured_pixel_limit_is_refused(settings):
    settings.LANGSO_UPLOAD_MAX_IMAGE_PIXELS = 100
    with pytest.raises(ImageTooLarge):
        check_upload(upload("anh.png", image_bytes("PNG", (20, 20))), kinds=IMAGES)


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG", (64, 64))
    with pytest.raises(UploadWrongType):
        check_upload(upload("anh.png", data[:60]), kinds=IMAGES)


def test_a_zip_bomb_workbook_is_refused_before_it_is_opened(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    data = xlsx_bomb()
    assert len(data) < 100_000
    with pytest.raises(ArchiveTooLarge) as err:
        check_upload(upload("dan-cu.xlsx", data), kinds=[XLSX])
    assert err.value.code == "core.upload_archive_too_large"


def test_a_workbook_inflating_beyond_the_total_limit_is_refused(settings):
    settings.LANGSO_UPLOAD_MAX_ARCHIVE_BYTES = 1000
    with pytest.raises(ArchiveTooLarge):
        check_upload(upload("dan-cu.xlsx", xlsx_bytes()), kinds=[XLSX])


def test_a_zip_that_is_not_a_workbook_is_refused_as_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UploadWrongType):
        check_upload(upload("dan-cu.xlsx", out.getvalue()), kinds=[XLSX])


def test_csv_must_be_utf8_without_nul_bytes():
    with pytest.raises(UploadWrongType):
        check_upload(upload("dan-cu.csv", b"H\xe0 N\xf4i\n"), kinds=[CSV])  # Latin-1
    with pytest.raises(UploadWrongType):
        check_upload(upload("dan-cu.csv", b"a,b\n\x00\x00"), kinds=[CSV])


def test_a_file_over_the_limit_of_its_kind_is_refused_before_being_read(settings):
    settings.LANGSO_UPLOAD_MAX_BYTES = {"pdf": 50}
    big = upload("don.pdf", PDF_BYTES)
    big.file = None  # any read would fail
    with pytest.raises(UploadTooLarge) as err:
        check_upload(big, kinds=[PDF])
    assert err.value.code == "core.upload_too_large"
    assert err.value.http_status == 413
    assert "quá lớn" in err.value.message


def test_a_per_use_limit_lowers_the_kind_limit():
    with pytest.raises(UploadTooLarge):
        check_upload(upload("anh.png", image_bytes("PNG")), kinds=IMAGES, max_bytes=10)


def test_an_empty_file_is_refused():
    with pytest.raises(UploadEmpty) as err:
        check_upload(upload("don.pdf", b""), kinds=[PDF])
    assert err.value.code == "core.upload_empty"
    assert err.value.message == "Tệp don.pdf rỗng, vui lòng chọn lại tệp."


def test_a_kind_not_allowed_for_this_use_is_refused_even_if_valid():
    with pytest.raises(UploadWrongType) as err:
        check_upload(upload("anh.png", image_bytes("PNG")), kinds=[PDF, JPEG])
    assert "chỉ nhận PDF, ảnh JPEG" in err.value.message


def test_too_many_files_are_refused():
    files = [upload(f"{i}.pdf", PDF_BYTES) for i in range(3)]
    with pytest.raises(TooManyFiles) as err:
        check_uploads(files, kinds=[PDF], max_files=2)
    assert err.value.code == "core.upload_too_many"
    assert len(check_uploads(files, kinds=[PDF], max_files=3)) == 3


def test_the_storage_name_takes_the_extension_of_the_real_kind():
    checked = check_upload(upload("../../etc/anh.pdf.exe", image_bytes("JPEG")), kinds=IMAGES)
    assert checked.name == "anh.pdf.exe"
    assert checked.safe_name("abc") == "abc.jpg"
    assert checked.display_name() == "anh.pdf.jpg"
    assert checked.content_type == "image/jpeg"


def test_check_bytes_works_on_content_in_memory():
    assert uploads.check_bytes(PDF_BYTES, name="x.pdf", kinds=[PDF]).kind == PDF


def test_a_request_declaring_a_huge_body_is_refused_with_413_before_reading(client, settings):
    settings.LANGSO_MAX_REQUEST_BYTES = 1000
    response = client.post("/dang-nhap/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    api = client.post("/api/procedures/dossiers", {"x": "y" * 2000})
    assert api.status_code == 413
    assert api.json()["code"] == "core.request_too_large"


def test_a_body_over_the_memory_limit_is_refused_cleanly_not_with_500(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = '{"receipt_code": "' + "x" * 2000 + '", "secret": "y"}'
    api = client.post("/api/procedures/track", payload, content_type="application/json")
    assert api.status_code == 413
    assert api.json()["code"] == "core.request_too_large"
    page = client.post("/procedures/tra-cuu/", {"receipt_code": "x" * 2000, "secret": "y"})
    assert page.status_code in (400, 413)


def test_a_multipart_body_is_capped_like_any_other_unless_its_route_takes_files(client, db):
    """A stranger cannot make a page without a file field stream megabytes to disk."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("x.pdf", PDF_BYTES + b"0" * 400_000)
    # a page that takes no file: over the page cap of 256 KB, refused before reading
    refused = client.post("/procedures/tra-cuu/", {"receipt_code": "x", "file": big})
    assert refused.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in refused.content.decode()
    big.seek(0)
    api = client.post("/api/engage/feedback", {"file": big, "more": "0" * 800_000})
    assert api.status_code == 413 and api.json()["code"] == "core.request_too_large"
    # under the API's cap, a form sent to an operation that reads JSON: 415, never a 500
    big.seek(0)
    form = client.post("/api/engage/feedback", {"file": big})
    assert form.status_code == 415 and form.json()["code"] == "core.unsupported_media_type"
    # pages and API operations that take files read it (and check it themselves)
    big.seek(0)
    taken = client.post("/documents/verify/", {"file": big})
    assert taken.status_code != 413
    assert uploads.takes_files("/api/procedures/dossiers")


def test_every_view_reading_uploaded_files_is_marked(db):
    """A view whose form has a file field must say so, or its uploads would be refused."""
    from django.urls import URLPattern, URLResolver, get_resolver

    marked = set()

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern) and getattr(p.callback, "langso_accepts_files", False):
                marked.add(p.callback.__name__)

    walk(get_resolver().url_patterns)
    assert {
        "submit",
        "applicant_action",
        "act",
        "counter",
        "verify",
        "upload",
        "import_page",
        "feedback_new",
        "announcement_new",
        "survey_new",
        "survey_answer",
        "survey_relevance",
        "photo_add",
        "area_new",
        "certificate_new",
        "dossier_new",
        "enter_value",
        "training_import",
    } <= marked

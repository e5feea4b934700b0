from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils import timezone

from langso.core.models import AuditEvent
from langso.core.uploads import UploadTooLarge, UploadWrongType
from langso.documents import actions
from langso.documents.exceptions import (
    AlreadySigned,
    NotAllowedToIssue,
    SigningUnavailable,
)
from langso.documents.models import Document
from langso.documents.signing import certificates
from langso.documents.signing.verification import verify_pdf
from langso.documents.tests.factories import plain_pdf


def _bytes(document) -> bytes:
    with document.file.open("rb") as fh:
        return fh.read()


def test_issue_document_stores_a_signed_pdf_whose_digest_and_signer_are_recorded(signed_document):
    import hashlib

    data = _bytes(signed_document)
    assert signed_document.sha256 == hashlib.sha256(data).hexdigest()
    assert signed_document.size == len(data)
    assert signed_document.signed_at is not None
    assert signed_document.signer_name == "Ủy ban nhân dân Xã Vô Tranh"
    assert signed_document.signature_level == "B-LT"
    assert signed_document.reference == "1/GXN-UBND"
    assert AuditEvent.objects.filter(
        object_type="documents.Document", object_id=str(signed_document.pk), action="create"
    ).exists()


def _issue(official, commune, kind, reference=""):
    return actions.issue_document(
        actor=official,
        commune=commune,
        title="T",
        paragraphs=["x"],
        kind=kind,
        reference=reference,
        sign=False,
    ).reference


def test_references_are_numbered_per_commune_year_and_kind_of_document(
    official, commune, other_official, other_commune
):
    numbers = [
        _issue(official, commune, "decision"),
        _issue(official, commune, "announcement"),
        _issue(official, commune, "decision"),
        _issue(official, commune, "decision", reference="99/QĐ-UBND"),  # given by hand
        _issue(official, commune, "decision"),  # continues after the highest number
        _issue(official, commune, "result"),  # a notice of result: the TB sequence
        _issue(official, commune, "other"),  # a công văn: the agency's symbol alone
        _issue(official, commune, "certificate"),
        _issue(other_official, other_commune, "decision"),  # each commune its own register
    ]
    assert numbers == [
        "1/QĐ-UBND",
        "1/TB-UBND",
        "2/QĐ-UBND",
        "99/QĐ-UBND",
        "100/QĐ-UBND",
        "2/TB-UBND",
        "1/UBND",
        "1/GXN-UBND",
        "1/QĐ-UBND",
    ]


def test_numbers_restart_each_year(official, commune):

    _issue(official, commune, "decision")
    Document.objects.update(created_at=timezone.now() - timedelta(days=400))
    assert _issue(official, commune, "decision") == "1/QĐ-UBND"


@pytest.mark.parametrize(
    "who", ["other_official", "province_officer", "resident_user", "health_worker"]
)
def test_only_the_communes_leaders_and_officials_may_issue(request, who, commune):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowedToIssue) as exc:
        actions.issue_document(actor=user, commune=commune, title="X", paragraphs=["x"])
    assert exc.value.code == "documents.not_allowed_to_issue"
    assert "không có quyền ban hành" in exc.value.message
    assert not Document.objects.exists()


def test_the_leader_signs_on_behalf_of_the_peoples_committee(leader, commune):
    from io import BytesIO

    from pypdf import PdfReader

    leader.first_name, leader.last_name = "Hùng", "Nguyễn Văn"
    leader.save()
    document = actions.issue_document(
        actor=leader, commune=commune, title="Quyết định", paragraphs=["Điều 1."], kind="decision"
    )
    text = PdfReader(BytesIO(_bytes(document))).pages[0].extract_text()
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "Nguyễn Văn Hùng" in text


def test_an_uploaded_pdf_is_signed_with_a_visible_stamp_and_stays_valid(official, commune):
    document = actions.upload_document(
        actor=official, commune=commune, title="Báo cáo", data=plain_pdf(), kind="report"
    )
    data = _bytes(document)
    assert document.source == "uploaded" and document.is_signed
    report = verify_pdf(data)
    assert report.code == "valid"
    assert b"/Subtype /Widget" in data or b"/Subtype/Widget" in data
    assert b"/Rect [0 0 0 0]" not in data  # the field has a real box on the page


def test_upload_refuses_content_that_is_not_a_pdf_whatever_its_name(official, commune):
    with pytest.raises(UploadWrongType) as exc:
        actions.upload_document(
            actor=official, commune=commune, title="x", data=b"MZ\x90\x00 an .exe renamed to .pdf"
        )
    assert exc.value.code == "core.upload_wrong_type"
    assert "không đúng định dạng: chỉ nhận PDF" in exc.value.message
    assert not Document.objects.exists()


def test_upload_refuses_files_over_the_size_limit(settings, official, commune):
    settings.LANGSO_DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(UploadTooLarge) as exc:
        actions.upload_document(
            actor=official, commune=commune, title="x", data=b"%PDF-1.7\n" + b"0" * (1024 * 1024)
        )
    assert exc.value.code == "core.upload_too_large"
    assert "tối đa 1.0 MB" in exc.value.message


def test_an_unsigned_document_can_be_signed_later_but_only_once(official, commune):
    document = actions.upload_document(
        actor=official, commune=commune, title="Nháp", data=plain_pdf(), sign=False
    )
    assert not document.is_signed
    assert verify_pdf(_bytes(document)).code == "unsigned"
    signed = actions.sign_document(actor=official, document=document)
    assert signed.is_signed and verify_pdf(_bytes(signed)).code == "valid"
    with pytest.raises(AlreadySigned) as exc:
        actions.sign_document(actor=official, document=signed)
    assert exc.value.code == "documents.already_signed"


def test_an_official_of_another_commune_cannot_sign(official, other_official, commune):
    document = actions.upload_document(
        actor=official, commune=commune, title="Nháp", data=plain_pdf(), sign=False
    )
    with pytest.raises(NotAllowedToIssue):
        actions.sign_document(actor=other_official, document=document)
    document.refresh_from_db()
    assert not document.is_signed


def _write_pkcs12(tmp_path, commune, passphrase: bytes):
    root = certificates.build_root("Production-like Root")
    cert, key = certificates.build_commune_certificate(root, commune_name=commune.name)
    blob = pkcs12.serialize_key_and_certificates(
        b"commune", key, cert, [root[0]], serialization.BestAvailableEncryption(passphrase)
    )
    path = tmp_path / f"{commune.code}.p12"
    path.write_bytes(blob)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(root[0].public_bytes(serialization.Encoding.PEM))
    return path, roots


def test_production_signs_with_the_pkcs12_file_named_by_the_commune_code(
    settings, tmp_path, official, commune
):
    _path, roots = _write_pkcs12(tmp_path, commune, b"s3cret")
    settings.LANGSO_SIGNING_MODE = "pkcs12"
    settings.LANGSO_SIGNING_PKCS12 = str(tmp_path / "{code}.p12")
    settings.LANGSO_SIGNING_PASSPHRASE = "s3cret"
    settings.LANGSO_TRUST_ROOTS = [str(roots)]
    document = actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    assert document.signature_level == "B-B"  # no TSA configured
    report = verify_pdf(_bytes(document))
    assert report.code == "valid"
    assert report.signature.trust_path[0] == "Production-like Root"


def test_a_missing_pkcs12_file_refuses_to_issue_and_stores_nothing(
    settings, tmp_path, official, commune
):
    settings.LANGSO_SIGNING_MODE = "pkcs12"
    settings.LANGSO_SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    with pytest.raises(SigningUnavailable) as exc:
        actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    assert exc.value.code == "documents.signing_unavailable"
    assert "Chưa cấu hình chứng thư số" in exc.value.message
    assert not Document.objects.exists()


class FakeHsm:
    """Stands for an HSM or the Government Cipher Committee's signing service."""

    calls = 0

    def __init__(self, commune):
        root = certificates.build_root("HSM Root")
        self.root = root[0]
        self.cert, self._key = certificates.build_commune_certificate(
            root, commune_name=commune.name
        )

    def signing_certificate(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def chain(self) -> list[bytes]:
        return [self.root.public_bytes(serialization.Encoding.DER)]

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        FakeHsm.calls += 1
        assert digest_algorithm == "sha256"
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())


HSM = {}


def fake_hsm_factory(commune):
    return HSM.setdefault(commune.code, FakeHsm(commune))


def test_an_external_signer_plugs_in_through_the_raw_signer_protocol(
    settings, tmp_path, official, commune
):
    settings.LANGSO_SIGNING_MODE = "external"
    settings.LANGSO_EXTERNAL_SIGNER = f"{__name__}.fake_hsm_factory"
    hsm = fake_hsm_factory(commune)
    roots = tmp_path / "hsm-root.pem"
    roots.write_bytes(hsm.root.public_bytes(serialization.Encoding.PEM))
    settings.LANGSO_TRUST_ROOTS = [str(roots)]
    before = FakeHsm.calls
    document = actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    assert FakeHsm.calls == before + 1
    assert verify_pdf(_bytes(document)).code == "valid"


def test_the_signature_field_of_a_written_document_sits_over_the_seal_image(signed_document):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(signed_document.file.open("rb"))
    field = reader.embedded_signatures[0].sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 150 and y2 - y1 > 100  # 70 x 40 mm, not an invisible 0 x 0 field
    assert x1 > 297  # right half of the A4 page, where the signer block is


def test_a_commune_certificate_outside_the_trust_roots_is_refused_before_signing(
    settings, tmp_path, official, commune
):
    _write_pkcs12(tmp_path, commune, b"s3cret")
    settings.LANGSO_SIGNING_MODE = "pkcs12"
    settings.LANGSO_SIGNING_PKCS12 = str(tmp_path / "{code}.p12")
    settings.LANGSO_SIGNING_PASSPHRASE = "s3cret"
    settings.LANGSO_TRUST_ROOTS = [str(certificates.ensure_demo_root().cert)]
    with pytest.raises(SigningUnavailable) as exc:
        actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    assert "không thuộc chứng thư gốc được tin cậy" in exc.value.message
    assert not Document.objects.exists()


def test_a_failure_after_storing_the_file_removes_it_again(monkeypatch, official, commune):
    from django.core.files.storage import default_storage

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Document, "save", broken_save)
    before = (
        set(default_storage.listdir("documents/05641")[1])
        if default_storage.exists("documents/05641")
        else set()
    )
    with pytest.raises(RuntimeError):
        actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    after = set(default_storage.listdir("documents/05641")[1])
    assert after == before


def test_an_external_signer_that_does_not_fit_the_protocol_is_refused(settings, official, commune):
    settings.LANGSO_SIGNING_MODE = "external"
    settings.LANGSO_EXTERNAL_SIGNER = f"{__name__}.not_a_signer"
    with pytest.raises(SigningUnavailable) as exc:
        actions.issue_document(actor=official, commune=commune, title="X", paragraphs=["x"])
    assert exc.value.message == "Thiết bị ký số không đúng giao diện."


def not_a_signer(commune):
    return object()

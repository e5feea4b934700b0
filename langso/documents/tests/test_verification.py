from langso.documents.signing.verification import verify_pdf
from langso.documents.tests import factories


def test_a_freshly_issued_document_is_valid_and_names_the_commune_as_signer(signed_pdf):
    report = verify_pdf(signed_pdf)
    assert report.code == "valid"
    sig = report.signature
    assert sig.intact and sig.trusted and not sig.changed_after_signing
    assert sig.signer_common_name == "Ủy ban nhân dân Xã Vô Tranh"
    assert sig.trust_path[0] == "Làng Số Demo Root CA"
    assert sig.timestamp is not None and sig.timestamp_trusted


def test_flipping_a_byte_inside_the_signed_range_is_reported_as_tampered(signed_pdf):
    report = verify_pdf(factories.flip_signed_byte(signed_pdf))
    assert report.code == "tampered"
    assert report.signature.intact is False


def test_an_incremental_update_painting_new_content_is_reported_as_tampered(signed_pdf):
    report = verify_pdf(factories.append_content_update(signed_pdf))
    assert report.code == "tampered"
    assert report.signature.intact is True
    assert report.signature.changed_after_signing is True
    assert report.signature.problem == "modified_after_signing"


def test_a_signer_from_an_unknown_ca_is_reported_as_untrusted():
    identity, _root = factories.stranger_identity()
    report = verify_pdf(factories.sign_with(identity))
    assert report.code == "untrusted_signer"
    assert report.signature.intact is True
    assert report.signature.trusted is False
    assert report.signature.problem == "no_trust_path"
    assert report.signature.issuer_common_name == "Stranger Root CA"


def test_trust_follows_the_configured_roots_only(settings, tmp_path, signed_pdf):
    identity, root_pem = factories.stranger_identity()
    data = factories.sign_with(identity)
    path = tmp_path / "roots.pem"
    path.write_bytes(root_pem)
    settings.LANGSO_TRUST_ROOTS = [str(path)]
    assert verify_pdf(data).code == "valid"
    # The demo root, no longer configured, is not trusted any more.
    assert verify_pdf(signed_pdf).code == "untrusted_signer"


def test_a_pdf_without_signature_is_reported_as_unsigned():
    assert verify_pdf(factories.plain_pdf()).code == "unsigned"


def test_something_that_is_not_a_pdf_is_reported_as_such():
    assert verify_pdf(b"\x89PNG\r\n\x1a\n not a pdf").code == "not_a_pdf"
    assert verify_pdf(b"%PDF-1.7 garbage without structure").code == "not_a_pdf"


def test_a_revoked_commune_certificate_is_reported_and_a_new_one_signs_again(
    settings, tmp_path, official, commune
):
    from langso.documents import actions
    from langso.documents.signing import certificates

    settings.LANGSO_SIGNING_DIR = str(tmp_path)  # a PKI of its own: revocation is for good
    old = actions.issue_document(
        actor=official, commune=commune, title="Cũ", paragraphs=["Ký bằng chứng thư cũ."]
    )
    with old.file.open("rb") as fh:
        signed_pdf = fh.read()
    assert verify_pdf(signed_pdf).code == "valid"  # CRL declared, none published yet
    certificates.revoke_demo_commune_certificate(commune)
    report = verify_pdf(signed_pdf)
    assert report.code == "untrusted_signer"
    assert report.signature.problem == "revoked"
    fresh = actions.issue_document(
        actor=official, commune=commune, title="Mới", paragraphs=["Ký bằng chứng thư mới."]
    )
    with fresh.file.open("rb") as fh:
        assert verify_pdf(fh.read()).code == "valid"

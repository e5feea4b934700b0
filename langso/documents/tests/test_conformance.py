"""Signed documents as independent validators see them: pyHanko's strict validation
(revocation checked hard-fail, the CRL fetched from the address in the certificate through
a fetcher that calls the Django route instead of the network), PAdES B-LT / B-LTA read
offline from the embedded validation data, poppler's `pdfsig`, and `pdffonts` for font
embedding. Locally the poppler checks skip without poppler-utils; CI installs it."""

import subprocess
from io import BytesIO
from urllib.parse import urlparse

import pytest
from asn1crypto import crl as asn1_crl
from cryptography import x509
from django.test import RequestFactory
from django.urls import resolve
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import CRLFetchError
from pyhanko_certvalidator.fetchers.api import (
    CertificateFetcher,
    CRLFetcher,
    FetcherBackend,
    Fetchers,
    OCSPFetcher,
)

from langso.core.testing.node_tools import require_program
from langso.documents import actions
from langso.documents.signing import certificates
from langso.documents.signing.signers import trust_roots_asn1
from langso.documents.tests.factories import plain_pdf

# --- A fetcher that answers from the Django route, as the network would -----------------


class RouteCRLFetcher(CRLFetcher):
    def __init__(self) -> None:
        self.requested: list[str] = []
        self._by_cert: dict = {}

    async def fetch(self, cert, *, use_deltas=None):
        crls = []
        for point in cert.crl_distribution_points or []:
            url = point.url
            if not url:
                continue
            self.requested.append(url)
            path = urlparse(url).path
            match = resolve(path)
            response = match.func(RequestFactory().get(path), *match.args, **match.kwargs)
            if response.status_code != 200:
                raise CRLFetchError(f"{url}: HTTP {response.status_code}")
            crls.append(asn1_crl.CertificateList.load(response.content))
        self._by_cert[cert.issuer_serial] = crls
        return crls

    def fetched_crls(self):
        return [c for crls in self._by_cert.values() for c in crls]

    def fetched_crls_for_cert(self, cert):
        return self._by_cert[cert.issuer_serial]


class NoOCSP(OCSPFetcher):
    async def fetch(self, cert, issuer):
        raise AssertionError("demo certificates name no OCSP responder")

    def fetched_responses(self):
        return []

    def fetched_responses_for_cert(self, cert):
        return []


class NoCertificates(CertificateFetcher):
    async def fetch_cert_issuers(self, cert):
        return
        yield

    async def fetch_crl_issuers(self, certificate_list):
        return
        yield

    def fetched_certs(self):
        return []


class RouteFetcherBackend(FetcherBackend):
    def __init__(self) -> None:
        self.crl = RouteCRLFetcher()

    def get_fetchers(self) -> Fetchers:
        return Fetchers(ocsp_fetcher=NoOCSP(), crl_fetcher=self.crl, cert_fetcher=NoCertificates())


def strict_context(backend: RouteFetcherBackend) -> ValidationContext:
    """pyHanko as a strict verifier runs it: the demo root as the only trust anchor,
    revocation hard-fail (a certificate that names a CRL must have a current one)."""
    return ValidationContext(
        trust_roots=trust_roots_asn1(),
        allow_fetching=True,
        revocation_mode="hard-fail",
        fetcher_backend=backend,
    )


def _signatures(data: bytes):
    return list(PdfFileReader(BytesIO(data), strict=False).embedded_regular_signatures)


def _bytes(document) -> bytes:
    with document.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def documents(official, leader, commune):
    """A written decision, a dossier-style result, a công văn and an uploaded PDF."""
    issued = [
        actions.issue_document(
            actor=leader,
            commune=commune,
            title="Về việc công nhận xóm Khe Cốc đạt chuẩn nông thôn mới kiểu mẫu",
            paragraphs=["Căn cứ Luật Tổ chức chính quyền địa phương;", "QUYẾT ĐỊNH:", "Điều 1. A."],
            kind="decision",
            recipient="Xóm Khe Cốc",
        ),
        actions.issue_document(
            actor=official, commune=commune, title="Kết quả hồ sơ", paragraphs=["B."], kind="result"
        ),
        actions.issue_document(
            actor=official,
            commune=commune,
            title="Đôn đốc nộp báo cáo",
            paragraphs=["C."],
            kind="other",
        ),
    ]
    uploaded = actions.upload_document(
        actor=official, commune=commune, title="Báo cáo tải lên", data=plain_pdf("Báo cáo quý")
    )
    return [*issued, uploaded]


# --- The CRL every certificate names ----------------------------------------------------


def _crl_urls(data: bytes) -> set[str]:
    """The CRL addresses of every certificate below the root that the file carries (the
    signer's, the timestamp authority's), each of which must name one."""
    reader = PdfFileReader(BytesIO(data), strict=False)
    certs = [s.signer_cert for s in reader.embedded_regular_signatures]
    certs += list(DocumentSecurityStore.read_dss(reader).load_certs())
    urls = set()
    for cert in certs:
        if cert.self_signed != "no":  # the root
            continue
        named = {p.url for p in cert.crl_distribution_points or []}
        assert named, f"{cert.subject.human_friendly} names no CRL"
        urls |= named
    return urls


def test_the_crl_named_in_every_certificate_is_served_signed_by_the_root(client, documents):
    urls = set().union(*(_crl_urls(_bytes(d)) for d in documents))
    assert len(urls) == 1 and next(iter(urls)).endswith("/documents/demo-ca.crl")
    response = client.get(urlparse(next(iter(urls))).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    root = x509.load_pem_x509_certificate(certificates.root_files().cert.read_bytes())
    assert crl.is_signature_valid(root.public_key())
    assert crl.next_update_utc is not None


def test_the_crl_is_served_in_production_mode_too(client, settings, documents):
    settings.LANGSO_SIGNING_MODE = "pkcs12"
    assert client.get("/documents/demo-ca.crl").status_code == 200


def test_an_empty_crl_exists_before_any_revocation_and_is_renewed_before_it_expires(
    tmp_path, monkeypatch
):
    certificates.ensure_demo_root(tmp_path)
    crl = x509.load_pem_x509_crl(certificates.crl_file(tmp_path).read_bytes())
    assert len(crl) == 0
    # An almost expired list is re-signed with the next number and the same entries.
    old = certificates._write_crl(tmp_path, [], 7)
    certificates.CRL_RENEW_BEFORE, saved = (
        certificates.CRL_VALIDITY * 2,
        certificates.CRL_RENEW_BEFORE,
    )
    try:
        renewed = certificates.ensure_demo_crl(tmp_path)
    finally:
        certificates.CRL_RENEW_BEFORE = saved
    assert certificates._crl_number(renewed) == 8 and len(renewed) == len(old) == 0


# --- pyHanko, strict --------------------------------------------------------------------


def test_every_signed_document_is_valid_under_pyhankos_strict_validation(documents):
    for document in documents:
        backend = RouteFetcherBackend()
        for signature in _signatures(_bytes(document)):
            status = validate_pdf_signature(
                signature,
                signer_validation_context=strict_context(backend),
                ts_validation_context=strict_context(backend),
            )
            assert status.bottom_line, (document.reference, status.summary())
            assert status.trusted and not status.revoked
            assert status.timestamp_validity is not None and status.timestamp_validity.trusted
        assert backend.crl.requested, "the CRL was fetched through the route"


def test_a_revoked_certificate_is_invalid_under_strict_validation(documents, commune):
    data = _bytes(documents[0])
    certificates.revoke_demo_commune_certificate(commune)
    status = validate_pdf_signature(
        _signatures(data)[0],
        signer_validation_context=strict_context(RouteFetcherBackend()),
        ts_validation_context=strict_context(RouteFetcherBackend()),
    )
    assert not status.bottom_line and status.revoked


def _offline_from_dss(data: bytes):
    """Validate each signature with nothing but the trust root and what the file embeds
    (its DSS): no fetching, revocation hard-fail. This is what B-LT promises."""
    reader = PdfFileReader(BytesIO(data), strict=False)
    dss = DocumentSecurityStore.read_dss(reader)
    for signature in reader.embedded_regular_signatures:
        context = dss.as_validation_context(
            {"trust_roots": trust_roots_asn1(), "revocation_mode": "hard-fail"}
        )
        yield validate_pdf_signature(
            signature, signer_validation_context=context, ts_validation_context=context
        )


def test_signed_documents_reach_pades_b_lt_and_validate_offline(documents):
    for document in documents:
        assert document.signature_level == "B-LT"
        data = _bytes(document)
        dss = PdfFileReader(BytesIO(data), strict=False).root["/DSS"]
        assert "/CRLs" in dss and "/Certs" in dss
        for status in _offline_from_dss(data):
            assert status.bottom_line and not status.revoked, status.summary()


def test_without_the_embedded_crls_offline_hard_fail_validation_fails(documents):
    """The offline check is not vacuous: without the DSS's CRLs it cannot pass."""
    data = _bytes(documents[0])
    context = ValidationContext(
        trust_roots=trust_roots_asn1(), revocation_mode="hard-fail", crls=[], ocsps=[]
    )
    status = validate_pdf_signature(
        _signatures(data)[0], signer_validation_context=context, ts_validation_context=context
    )
    assert not status.bottom_line


def test_with_a_timestamp_authority_documents_reach_pades_b_lta(settings, official, commune):
    settings.LANGSO_SIGNATURE_LTA = "1"
    document = actions.issue_document(
        actor=official, commune=commune, title="Lưu trữ dài hạn", paragraphs=["D."]
    )
    assert document.signature_level == "B-LTA"
    data = _bytes(document)
    reader = PdfFileReader(BytesIO(data), strict=False)
    assert reader.embedded_timestamp_signatures  # the document timestamp over the DSS
    assert all(status.bottom_line for status in _offline_from_dss(data))


# --- poppler ----------------------------------------------------------------------------


def _run(program: str, path) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed system tool on our own file
        [require_program(program), str(path)], capture_output=True, text=True, check=False
    )
    return done.stdout + done.stderr


def test_pdfsig_finds_every_signature_valid(documents, tmp_path):
    for document in documents:
        path = tmp_path / f"{document.public_id}.pdf"
        path.write_bytes(_bytes(document))
        out = _run("pdfsig", path)
        assert "Signature #1" in out, out
        validations = [line for line in out.splitlines() if "Signature Validation:" in line]
        assert validations and all("Signature is Valid." in line for line in validations), out


def test_pdffonts_finds_every_font_embedded(documents, tmp_path):
    """Written documents, and the signature stamp added to an uploaded one (whose own fonts
    are the uploader's), embed every font."""
    for document in documents:
        path = tmp_path / f"{document.public_id}.pdf"
        path.write_bytes(_bytes(document))
        rows = _run("pdffonts", path).splitlines()[2:]
        assert len(rows) >= 4, rows  # regular, bold, italic, bold italic (and the stamp's)
        not_embedded = [row for row in rows if row.split()[-5] != "yes"]
        assert not not_embedded, (document.kind, document.source, not_embedded)

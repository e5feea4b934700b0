import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from langso.documents.checks import signing_configuration
from langso.documents.demo import load_demo
from langso.documents.models import Document
from langso.documents.signing import certificates


def test_the_demo_pki_command_is_idempotent(commune, demo_signing):
    call_command("create_demo_pki", stdout=io.StringIO())
    cert_file = certificates.commune_files("05641").cert
    first = cert_file.read_bytes()
    out = io.StringIO()
    call_command("create_demo_pki", stdout=out)
    assert cert_file.read_bytes() == first
    assert "Xã Vô Tranh" in out.getvalue()
    cert, _key = certificates.load_pair(certificates.commune_files("05641"))
    assert cert.public_key().key_size == 2048


def test_the_demo_pki_command_refuses_an_unknown_commune(db):
    with pytest.raises(CommandError):
        call_command("create_demo_pki", "99999", stdout=io.StringIO())


def test_the_demo_issues_signed_documents_once(commune, province, official, leader):
    load_demo(commune=commune, province=province, seed=1, stdout=io.StringIO())
    documents = Document.objects.filter(commune=commune)
    assert documents.count() == 5
    assert documents.filter(signed_at__isnull=False).count() == 4
    load_demo(commune=commune, province=province, seed=1, stdout=io.StringIO())
    assert Document.objects.count() == 5


def test_the_deploy_check_warns_about_the_demo_ca_and_missing_roots(settings, tmp_path):
    assert [m.id for m in signing_configuration()] == ["documents.W001"]
    settings.LANGSO_SIGNING_MODE = "pkcs12"
    settings.LANGSO_SIGNING_PASSPHRASE = "x"
    settings.LANGSO_TRUST_ROOTS = [str(tmp_path / "missing.pem")]
    assert [m.id for m in signing_configuration()] == ["documents.E002"]

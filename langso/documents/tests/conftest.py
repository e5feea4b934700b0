"""Fixtures of the documents tests: one demo PKI per test session (RSA keys take time to
make), pointed to by LANGSO_SIGNING_DIR for every test."""

import pytest


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def demo_signing(settings, signing_dir):
    settings.LANGSO_SIGNING_MODE = "demo"
    settings.LANGSO_SIGNING_DIR = str(signing_dir)
    settings.LANGSO_TRUST_ROOTS = []
    return signing_dir


@pytest.fixture
def signed_document(official, commune):
    from langso.documents.actions import issue_document

    return issue_document(
        actor=official,
        commune=commune,
        title="Xác nhận cư trú của ông Nguyễn Văn An",
        paragraphs=[
            "Ủy ban nhân dân xã Vô Tranh xác nhận ông Nguyễn Văn An, sinh năm 1980, "
            "hiện cư trú tại xóm Khe Cốc, xã Vô Tranh, tỉnh Thái Nguyên."
        ],
        kind="certificate",
        recipient="Ông Nguyễn Văn An",
    )


@pytest.fixture
def signed_pdf(signed_document) -> bytes:
    with signed_document.file.open("rb") as fh:
        return fh.read()

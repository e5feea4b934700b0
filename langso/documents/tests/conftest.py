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

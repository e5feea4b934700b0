import pytest

from langso.core.tests.idp import fixture as idp

# The provider's own directory: who can log in there and with which claims (a VNeID-like
# citizen ID for residents, a username and groups at the provincial SSO for officials).
IDP_USERS = [
    {
        "username": "an.vneid",
        "password": "idp-pass",
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "claims": {"citizen_id": "019080012345"},
    },
    {
        "username": "moi.vneid",
        "password": "idp-pass",
        "first_name": "Mới",
        "last_name": "Lê Thị",
        "claims": {"citizen_id": "019195012345"},
    },
    {
        "username": "canbo.sso",
        "password": "idp-pass",
        "email": "canbo@thainguyen.gov.vn",
        "claims": {"preferred_username": "canbo.votranh", "groups": ["ubnd-votranh-canbo"]},
    },
    {
        "username": "la.sso",
        "password": "idp-pass",
        "claims": {"preferred_username": "nguoi.la", "groups": []},
    },
    {
        "username": "moi.sso",
        "password": "idp-pass",
        "first_name": "Hà",
        "last_name": "Trần",
        "claims": {
            "preferred_username": "tranha.votranh",
            "groups": ["ubnd-votranh-canbo", "ubnd-badinh-canbo", "quan-tri-he-thong"],
        },
    },
]


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    provider, process = idp.start(tmp_path_factory.mktemp("idp"), IDP_USERS)
    yield provider
    process.terminate()
    process.wait()


@pytest.fixture
def demo_idp(settings, tmp_path):
    """The demo's test identity provider switched on, as config/settings/local.py does, with
    its URLs mounted (langso.people.tests.demo_idp_urls) and a key of its own."""
    from langso.core import oidc

    settings.LANGSO_DEMO_IDP = True
    settings.LANGSO_PUBLIC_URL = "http://testserver"
    settings.LANGSO_DEMO_IDP_KEY_FILE = str(tmp_path / "demo-idp-key.json")
    settings.ROOT_URLCONF = "langso.people.tests.demo_idp_urls"
    oidc._clients.clear()
    yield settings
    oidc._clients.clear()

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

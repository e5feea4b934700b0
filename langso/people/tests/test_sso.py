"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit in its own
process, langso/core/tests/idp): discovery, JWKS, token and userinfo over HTTP, PKCE
required, id_tokens signed RS256 with a key generated for the test session."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from langso.core import oidc
from langso.core.models import AuditAction, AuditEvent
from langso.core.tests.idp.fixture import CLIENTS, authorize
from langso.people.models import ExternalIdentity, Resident, Role, RoleAssignment, User


@pytest.fixture
def sso_settings(settings, identity_provider, commune):
    common = {"discovery_url": identity_provider.discovery_url}
    settings.LANGSO_OIDC_PROVIDERS = {
        "vneid": {
            **common,
            "label": "VNeID",
            "kind": "resident",
            "client_id": "langso-vneid",
            "client_secret": CLIENTS["langso-vneid"],
            "scopes": "openid profile",
        },
        "sso-tinh": {
            **common,
            "label": "SSO tỉnh Thái Nguyên",
            "kind": "official",
            "client_id": "langso-sso-tinh",
            "client_secret": CLIENTS["langso-sso-tinh"],
            "scopes": "openid profile email",
        },
    }
    return settings


@pytest.fixture
def trusted_sso(sso_settings, identity_provider):
    """A provincial SSO trusted to grant roles, on units of province 19 only."""
    sso_settings.LANGSO_OIDC_PROVIDERS = {
        **sso_settings.LANGSO_OIDC_PROVIDERS,
        "sso-tinh-tin-cay": {
            **sso_settings.LANGSO_OIDC_PROVIDERS["sso-tinh"],
            "province_code": "19",
            "role_map": {
                "ubnd-votranh-canbo": {"role": Role.COMMUNE_OFFICIAL, "unit": "05641"},
                "ubnd-badinh-canbo": {"role": Role.COMMUNE_OFFICIAL, "unit": "00004"},
                "quan-tri-he-thong": {"role": Role.RESIDENT, "unit": "05641"},
            },
        },
    }
    return sso_settings


def start(rp: Client, provider: str, **params):
    response = rp.get(reverse("sso_start", args=[provider]), params)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in(rp: Client, provider: str, username: str, *, browser=None, **params):
    """The whole flow: Làng Số -> provider login and consent -> Làng Số callback."""
    callback = authorize(
        browser or requests.Session(),
        start(rp, provider, **params),
        username=username,
        password="idp-pass",
    )
    parts = urlsplit(callback)
    return rp.get(f"{parts.path}?{parts.query}")


def signed_in_user(rp: Client):
    return User.objects.filter(pk=rp.session.get("_auth_user_id")).first()


def test_login_page_offers_each_configured_provider_beside_the_local_form(client, sso_settings):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập bằng VNeID" in page
    assert "Đăng nhập bằng SSO tỉnh Thái Nguyên" in page
    assert 'name="password"' in page
    assert reverse("sso_start", args=["vneid"]) in page


def test_login_page_has_no_sso_buttons_when_no_provider_is_configured(client, settings):
    settings.LANGSO_OIDC_PROVIDERS = {}
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập bằng" not in page
    assert client.get(reverse("sso_start", args=["vneid"])).status_code == 404


def test_the_authorization_request_uses_pkce_s256_and_a_nonce(
    client, sso_settings, identity_provider
):
    query = parse_qs(urlsplit(start(client, "vneid")).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0]
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["langso-vneid"]


def test_resident_first_login_links_the_registered_resident_by_citizen_id(
    client, sso_settings, household
):
    response = sign_in(client, "vneid", "an.vneid")

    assert response.status_code == 302
    user = signed_in_user(client)
    head = Resident.objects.get(citizen_id="019080012345")
    assert head.user == user
    assert user.has_usable_password() is False
    assert list(user.roles.values_list("role", "unit__code", "household_id")) == [
        (Role.RESIDENT, "05641", household.pk)
    ]
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.provider, identity.issuer) == (
        "vneid",
        sso_settings.LANGSO_OIDC_PROVIDERS["vneid"]["discovery_url"].removesuffix(
            "/.well-known/openid-configuration"
        ),
    )
    # Resident access: their own household, nothing else.
    assert client.get(reverse("people:household_detail", args=[household.pk])).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == user
    assert event.fields == {"provider": "vneid", "method": "oidc", "account": "resident_new"}


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(sso_settings, household):
    browser = requests.Session()
    response = sign_in(Client(), "vneid", "an.vneid", browser=browser, next="/people/")
    assert response["Location"] == "/people/"
    response = sign_in(Client(), "vneid", "an.vneid", browser=browser, next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_resident_sees_only_their_own_household(client, sso_settings, household, other_household):
    sign_in(client, "vneid", "an.vneid")
    assert (
        client.get(reverse("people:household_detail", args=[other_household.pk])).status_code == 404
    )


def test_resident_with_a_local_account_signs_into_that_account(client, sso_settings, resident_user):
    sign_in(client, "vneid", "an.vneid")
    assert signed_in_user(client) == resident_user
    assert User.objects.count() == 1


def test_second_login_reuses_the_link(sso_settings, household):
    browser = requests.Session()
    first, second = Client(), Client()
    sign_in(first, "vneid", "an.vneid", browser=browser)
    sign_in(second, "vneid", "an.vneid", browser=browser)

    assert signed_in_user(first) == signed_in_user(second)
    assert ExternalIdentity.objects.count() == 1
    assert User.objects.count() == 1
    assert RoleAssignment.objects.count() == 1
    logins = AuditEvent.objects.filter(action=AuditAction.LOGIN).order_by("id")
    assert [e.fields["account"] for e in logins] == ["resident_new", "linked"]


def test_unregistered_resident_gets_an_account_without_any_role(client, sso_settings):
    response = sign_in(client, "vneid", "moi.vneid")

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user.get_full_name() == "Lê Thị Mới"
    assert not user.roles.exists()
    assert not Resident.objects.filter(user=user).exists()
    assert client.get(reverse("people:households")).status_code == 403


def test_official_keeps_exactly_their_unit_scoped_roles(
    client, sso_settings, official, household, other_household
):
    before = list(official.roles.values_list("role", "unit_id"))
    response = sign_in(client, "sso-tinh", "canbo.sso")

    assert response.status_code == 302
    assert signed_in_user(client) == official
    assert list(official.roles.values_list("role", "unit_id")) == before
    page = client.get(reverse("people:households")).content.decode()
    assert household.code in page
    assert other_household.code not in page
    assert (
        client.get(reverse("people:household_detail", args=[other_household.pk])).status_code == 404
    )


def test_unknown_official_is_refused_with_a_vietnamese_message(client, sso_settings):
    users_before = User.objects.count()
    response = sign_in(client, "sso-tinh", "la.sso")

    assert response.status_code == 403
    assert "chưa được đăng ký là cán bộ trên Làng Số" in response.content.decode()
    assert signed_in_user(client) is None
    assert User.objects.count() == users_before
    assert not ExternalIdentity.objects.exists()
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert refusal.fields["reason"] == "people.sso_unknown_official"
    assert refusal.actor is None


def test_official_provider_never_grants_roles_from_claims_unless_trusted(
    client, sso_settings, commune
):
    response = sign_in(client, "sso-tinh", "moi.sso")  # groups claim present, not trusted
    assert response.status_code == 403
    assert not RoleAssignment.objects.exists()


def test_trusted_role_map_grants_roles_only_on_units_of_its_province(
    client, trusted_sso, commune, other_commune
):
    response = sign_in(client, "sso-tinh-tin-cay", "moi.sso")

    assert response.status_code == 302
    user = signed_in_user(client)
    # Ba Đình is in province 01 and the resident role is never mappable: both ignored.
    assert list(user.roles.values_list("role", "unit__code")) == [(Role.COMMUNE_OFFICIAL, "05641")]


def test_a_withdrawn_group_takes_the_mapped_role_away_at_the_next_login(
    client, trusted_sso, commune, identity_provider
):
    sign_in(client, "sso-tinh-tin-cay", "moi.sso")
    user = signed_in_user(client)
    # a person gives the same official another role by hand: single sign-on never touches it
    RoleAssignment.objects.create(user=user, role=Role.HEALTH_WORKER, unit=commune)
    # the province moves the group to the leader role: the official role it granted goes
    trusted_sso.LANGSO_OIDC_PROVIDERS["sso-tinh-tin-cay"]["role_map"]["ubnd-votranh-canbo"] = {
        "role": Role.COMMUNE_LEADER,
        "unit": "05641",
    }
    second = Client()
    assert sign_in(second, "sso-tinh-tin-cay", "moi.sso").status_code == 302
    assert sorted(user.roles.values_list("role", "granted_by")) == sorted(
        [(Role.COMMUNE_LEADER, "sso:sso-tinh-tin-cay"), (Role.HEALTH_WORKER, "")]
    )
    revoked = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="people.RoleAssignment")
    assert revoked.actor is None
    # the group is withdrawn altogether: the mapped role goes, the hand-given one stays
    trusted_sso.LANGSO_OIDC_PROVIDERS["sso-tinh-tin-cay"]["role_map"].pop("ubnd-votranh-canbo")
    assert sign_in(Client(), "sso-tinh-tin-cay", "moi.sso").status_code == 302
    assert list(user.roles.values_list("role", flat=True)) == [Role.HEALTH_WORKER]


def test_an_official_left_without_roles_is_refused_and_keeps_none(client, trusted_sso, commune):
    sign_in(client, "sso-tinh-tin-cay", "moi.sso")
    user = signed_in_user(client)
    trusted_sso.LANGSO_OIDC_PROVIDERS["sso-tinh-tin-cay"]["role_map"].pop("ubnd-votranh-canbo")
    response = sign_in(Client(), "sso-tinh-tin-cay", "moi.sso")
    assert response.status_code == 403
    assert "không còn vai trò cán bộ" in response.content.decode()
    assert not user.roles.exists()  # the revocation stays although the login is refused


def test_the_same_first_login_arriving_twice_at_once_signs_in_one_account(
    sso_settings, household, monkeypatch
):
    from langso.people import sso

    sign_in(Client(), "vneid", "an.vneid")
    identity = ExternalIdentity.objects.get()
    login = oidc.Login(
        issuer=identity.issuer,
        subject=identity.subject,
        id_token="",
        claims={"citizen_id": "019080012345"},
    )
    # the second callback looked before the first one committed: it sees no link yet
    real, calls = sso._find_identity, []

    def racing(found_login):
        calls.append(1)
        return None if len(calls) == 1 else real(found_login)

    monkeypatch.setattr(sso, "_find_identity", racing)
    user = sso.sign_in_external(provider=oidc.get_provider("vneid"), login=login)
    assert user == identity.user and len(calls) == 2
    assert ExternalIdentity.objects.count() == 1 and User.objects.count() == 1


def test_an_unreachable_provider_is_a_503_to_try_again_not_a_refusal(client, sso_settings):
    sso_settings.LANGSO_OIDC_PROVIDERS["vneid"]["discovery_url"] = (
        "http://127.0.0.1:9/.well-known/openid-configuration"  # nothing listens on port 9
    )
    response = client.get(reverse("sso_start", args=["vneid"]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Không kết nối được với VNeID" in response.content.decode()
    assert AuditEvent.objects.get(action=AuditAction.REFUSED).fields["reason"] == (
        "core.sso_provider_unreachable"
    )


def test_tampered_state_is_refused(client, sso_settings, household):
    callback = authorize(
        requests.Session(), start(client, "vneid"), username="an.vneid", password="idp-pass"
    )
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    response = client.get(parts.path, {"code": query["code"][0], "state": query["state"][0] + "x"})

    assert response.status_code == 403
    assert "Phiên đăng nhập không hợp lệ" in response.content.decode()
    assert signed_in_user(client) is None
    assert AuditEvent.objects.get(action=AuditAction.REFUSED).fields["reason"] == (
        "core.sso_state_mismatch"
    )


def test_the_token_request_fails_without_the_right_pkce_verifier(client, sso_settings, household):
    callback = authorize(
        requests.Session(), start(client, "vneid"), username="an.vneid", password="idp-pass"
    )
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_oidc_vneid_"))
    data = session[key]
    data["data"]["code_verifier"] = "x" * 64
    session[key] = data
    session.save()
    parts = urlsplit(callback)
    response = client.get(f"{parts.path}?{parts.query}")

    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert AuditEvent.objects.get(action=AuditAction.REFUSED).fields["reason"] == (
        "core.sso_token_refused"
    )


def test_a_configured_issuer_that_the_provider_does_not_claim_is_refused(client, sso_settings):
    sso_settings.LANGSO_OIDC_PROVIDERS["vneid"]["issuer"] = "https://sso.vneid.gov.vn"
    response = client.get(reverse("sso_start", args=["vneid"]))
    assert response.status_code == 403
    assert "không khớp nhà cung cấp" in response.content.decode()


def _real_id_token(rp: Client) -> str:
    sign_in(rp, "vneid", "an.vneid")
    return rp.session["langso_sso"]["id_token"]


def _claims(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_id_token_checks_signature_audience_issuer_expiry_and_nonce(
    client, sso_settings, household
):
    id_token = _real_id_token(client)
    claims = _claims(id_token)
    vneid = oidc.get_provider("vneid")
    assert oidc.verify_id_token(vneid, id_token, nonce=claims["nonce"])["sub"] == claims["sub"]

    def refused(provider, token, **kwargs):
        with pytest.raises(oidc.SsoError) as caught:
            oidc.verify_id_token(provider, token, **{"nonce": claims["nonce"], **kwargs})
        assert caught.value.code == "core.sso_invalid_id_token"
        return caught.value.details["reason"]

    # Audience: a token the provider issued to Làng Số's VNeID client, replayed to another.
    assert "aud" in refused(oidc.get_provider("sso-tinh"), id_token)
    # Issuer: a provider configured for another issuer.
    other_issuer = oidc.Provider(**{**vneid.__dict__, "issuer": "https://sso.vneid.gov.vn"})
    assert "iss" in refused(other_issuer, id_token)
    # Expiry (beyond the two minutes of leeway) and nonce.
    assert "exp" in refused(vneid, id_token, now=claims["exp"] + oidc.LEEWAY_SECONDS + 1)
    assert refused(vneid, id_token, nonce="another-nonce")
    # Signature: the same header and signature over a changed payload.
    header, _payload, signature = id_token.split(".")
    forged = base64.urlsafe_b64encode(
        json.dumps({**claims, "sub": "someone-else"}).encode()
    ).decode()
    assert refused(vneid, f"{header}.{forged.rstrip('=')}.{signature}")
    # Algorithm: an unsigned token ("alg": "none") is never accepted.
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
    assert refused(vneid, f"{none_header}.{id_token.split('.')[1]}.")


def test_logout_clears_the_session_and_ends_the_provider_session(
    client, sso_settings, identity_provider, household
):
    id_token = _real_id_token(client)
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}".startswith(
        identity_provider.issuer + "/logout"
    )
    assert parse_qs(location.query)["id_token_hint"] == [id_token]
    assert signed_in_user(client) is None
    assert "langso_sso" not in client.session
    # The provider accepts the hint (it knows the token and the client).
    assert requests.get(response["Location"], allow_redirects=False, timeout=30).status_code in (
        200,
        302,
    )


def test_local_logout_without_sso_stays_local(client, official):
    client.force_login(official)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

"""The demo's test identity provider (langso.people.demo_idp): the protocol checks it makes,
the login buttons it adds, that production never serves it, and the whole single sign-on
of a resident and of an official through it, over real HTTP (live server)."""

import base64
import hashlib
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from langso.core import oidc
from langso.core.models import AuditEvent
from langso.people.models import ExternalIdentity, Resident, RoleAssignment, User

ROOT = Path(__file__).resolve().parents[3]
VERIFIER = "v" * 64
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=")


def authorize_params(**overrides):
    params = {
        "client_id": "langso-demo-vneid",
        "redirect_uri": "http://testserver/dang-nhap/sso/vneid/callback/",
        "response_type": "code",
        "scope": "openid profile",
        "state": "s-123",
        "nonce": "n-456",
        "code_challenge": CHALLENGE.decode(),
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def code_for(client, identity="resident-account", **overrides) -> str:
    r = client.post(
        reverse("demo_idp:authorize"), {**authorize_params(**overrides), "identity": identity}
    )
    assert r.status_code == 302, r.content[:300]
    query = parse_qs(urlsplit(r["Location"]).query)
    assert query["state"] == [overrides.get("state", "s-123")]
    return query["code"][0]


def exchange(client, code, *, secret=None, verifier=VERIFIER, redirect_uri=None):
    secret = secret if secret is not None else oidc.demo_client_secret("vneid")
    return client.post(
        reverse("demo_idp:token"),
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri or "http://testserver/dang-nhap/sso/vneid/callback/",
        },
        HTTP_AUTHORIZATION=basic("langso-demo-vneid", secret),
    )


def test_the_login_page_offers_the_test_providers_only_when_the_demo_enables_them(
    client, settings, demo_idp
):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập bằng VNeID (thử nghiệm)" in page
    assert "Đăng nhập bằng SSO tỉnh (thử nghiệm)" in page
    assert 'data-testid="sso-demo-note"' in page
    settings.LANGSO_DEMO_IDP = False
    page = client.get(reverse("login")).content.decode()
    assert "thử nghiệm" not in page
    assert client.get("/demo-idp/.well-known/openid-configuration").status_code == 404


def test_an_unknown_provider_gets_a_vietnamese_404_not_the_debug_page(client, settings, db):
    settings.DEBUG = True
    r = client.get("/dang-nhap/sso/vneid/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "Làng Số không có cách đăng nhập “vneid”" in page and '<html lang="vi">' in page
    assert "URLconf" not in page and "Page not found" not in page
    assert client.get("/dang-nhap/sso/vneid/callback/?code=x&state=y").status_code == 404


def test_production_never_serves_the_test_provider():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-1234",
        ALLOWED_HOSTS="langso.example.vn",
        REDIS_URL="redis://127.0.0.1:6379/1",
        LANGSO_DEMO_IDP="1",  # even asked for, production does not turn it on
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.urls import Resolver404, resolve\n"
        "from langso.core import oidc\n"
        "assert settings.LANGSO_DEMO_IDP is False\n"
        "assert oidc.providers() == {}, oidc.providers()\n"
        "for path in ('/demo-idp/.well-known/openid-configuration', '/demo-idp/authorize/'):\n"
        "    try:\n"
        "        resolve(path)\n"
        "    except Resolver404:\n"
        "        continue\n"
        "    raise SystemExit('mounted: ' + path)\n"
        "print('not mounted')\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "not mounted" in result.stdout


def test_discovery_and_keys_describe_the_provider(client, demo_idp):
    meta = client.get("/demo-idp/.well-known/openid-configuration").json()
    assert meta["issuer"] == "http://testserver/demo-idp"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = client.get(meta["jwks_uri"].removeprefix("http://testserver")).json()["keys"]
    assert [k["kty"] for k in keys] == ["RSA"] and "d" not in keys[0]


def test_the_page_says_it_is_a_test_provider_and_lists_demo_identities(
    client, demo_idp, resident_user, household
):
    r = client.get(reverse("demo_idp:authorize"), authorize_params())
    page = r.content.decode()
    assert r.status_code == 200
    assert "Nhà cung cấp định danh THỬ NGHIỆM" in page
    assert "Đây không phải VNeID" in page
    assert "Nguyễn Văn An" in page and "CCCD 019080012345" in page
    assert "nguoidan.an" in page and "Không có trong sổ của xã" in page


def test_the_provider_refuses_bad_requests_before_asking_anything(client, demo_idp, db):
    r = client.get(reverse("demo_idp:authorize"), authorize_params(client_id="la"))
    assert r.status_code == 400 and "chưa được đăng ký" in r.content.decode()
    r = client.get(
        reverse("demo_idp:authorize"),
        authorize_params(redirect_uri="https://evil.example/dang-nhap/sso/vneid/callback/"),
    )
    assert r.status_code == 400  # never sent to an unregistered address
    r = client.get(reverse("demo_idp:authorize"), authorize_params(code_challenge_method="plain"))
    assert r.status_code == 302
    assert "error=invalid_request" in r["Location"] and "state=s-123" in r["Location"]
    r = client.post(reverse("demo_idp:authorize"), {**authorize_params(), "cancel": "1"})
    assert "error=access_denied" in r["Location"]


def test_a_code_is_exchanged_once_with_the_right_secret_verifier_and_redirect_uri(
    client, demo_idp, resident_user
):
    assert exchange(client, code_for(client), secret="wrong").status_code == 401
    assert exchange(client, code_for(client), verifier="w" * 64).json()["error"] == (
        "invalid_grant"
    )
    other = "http://localhost/dang-nhap/sso/vneid/callback/"
    assert exchange(client, code_for(client), redirect_uri=other).json()["error"] == (
        "invalid_grant"
    )
    code = code_for(client)
    body = exchange(client, code).json()
    assert exchange(client, code).json()["error"] == "invalid_grant"  # used once
    provider_config = oidc.Provider.from_config("vneid", oidc.demo_provider_configs()["vneid"])
    jwks_response = client.get("/demo-idp/jwks/").json()
    from joserfc import jwt
    from joserfc.jwk import KeySet

    token = jwt.decode(body["id_token"], KeySet.import_key_set(jwks_response))
    claims = token.claims
    assert claims["iss"] == "http://testserver/demo-idp"
    assert claims["aud"] == provider_config.client_id and claims["nonce"] == "n-456"
    assert claims["citizen_id"] == "019080012345" and claims["at_hash"]
    info = client.get(
        reverse("demo_idp:userinfo"), HTTP_AUTHORIZATION="Bearer " + body["access_token"]
    )
    assert info.json()["sub"] == claims["sub"] == "demo-citizen-019080012345"
    assert client.get(reverse("demo_idp:userinfo")).status_code == 401


def test_logout_returns_only_to_a_registered_address(client, demo_idp):
    url = reverse("demo_idp:logout")
    r = client.get(
        url, {"client_id": "langso-demo-vneid", "post_logout_redirect_uri": "http://testserver/"}
    )
    assert r.status_code == 302 and r["Location"] == "http://testserver/"
    r = client.get(
        url, {"client_id": "langso-demo-vneid", "post_logout_redirect_uri": "https://evil.example/"}
    )
    assert r.status_code == 200 and "Đã đăng xuất" in r.content.decode()


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""


def sign_in_over_http(base: str, provider_name: str, identity: str) -> requests.Session:
    """A browser (requests) signs in at Làng Số through the test provider, all over HTTP."""
    browser = requests.Session()
    login = browser.get(base + "/dang-nhap/", timeout=30)
    assert f'href="/dang-nhap/sso/{provider_name}/"' in login.text
    r = browser.get(base + f"/dang-nhap/sso/{provider_name}/", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "/demo-idp/authorize/" in r.headers["Location"]
    page = browser.get(urljoin(base, r.headers["Location"]), timeout=30)
    assert "THỬ NGHIỆM" in page.text
    form = _Forms()
    form.feed(page.text)
    r = browser.post(
        page.url.split("?")[0],
        data={**form.hidden, "identity": identity},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302, r.text[:300]
    back = browser.get(r.headers["Location"], allow_redirects=False, timeout=30)
    assert back.status_code == 302, back.text[back.text.find('role="alert"') :][:300]
    assert back.headers["Location"] == "/"
    return browser


@pytest.mark.django_db(transaction=True)
def test_a_resident_and_an_official_sign_in_through_the_demo_provider_over_http(
    live_server, demo_idp, resident_user, household, official
):
    demo_idp.LANGSO_PUBLIC_URL = live_server.url
    browser = sign_in_over_http(live_server.url, "vneid", "resident-account")
    home = browser.get(live_server.url + "/", timeout=30).text
    assert "nguoidan.an" in home
    link = ExternalIdentity.objects.get(user=resident_user)
    assert (link.provider, link.subject) == ("vneid", "demo-citizen-019080012345")
    assert link.issuer == live_server.url + "/demo-idp"

    browser = sign_in_over_http(live_server.url, "sso-tinh", "official-canbo.votranh")
    monitor = browser.get(live_server.url + "/monitor/", timeout=30)
    assert monitor.status_code == 200 and "Xã Vô Tranh" in monitor.text
    assert ExternalIdentity.objects.get(user=official).provider == "sso-tinh"
    logins = AuditEvent.objects.filter(action="login", fields__method="oidc")
    assert sorted(e.fields["account"] for e in logins) == ["official", "resident"]


@pytest.mark.django_db(transaction=True)
def test_a_registered_resident_without_an_account_gets_one_at_the_first_sign_in(
    live_server, demo_idp, household, commune
):
    demo_idp.LANGSO_PUBLIC_URL = live_server.url
    sign_in_over_http(live_server.url, "vneid", "resident-registered")
    head = Resident.objects.get(citizen_id="019080012345")
    assert head.user is not None and head.user.username.startswith("vneid.")
    assert RoleAssignment.objects.filter(user=head.user, household=household).exists()
    assert User.objects.filter(external_identities__provider="vneid").count() == 1

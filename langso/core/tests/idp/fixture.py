"""Start the test identity provider in its own process for a test session, and drive its
login and consent pages the way a browser would (requests, real HTTP)."""

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

RP_HOST = "http://testserver"
PROVIDER_NAMES = ("vneid", "sso-tinh", "sso-tinh-tin-cay")
CLIENTS = {"langso-vneid": "secret-vneid", "langso-sso-tinh": "secret-sso-tinh"}


@dataclass(frozen=True)
class IdentityProvider:
    base_url: str

    @property
    def issuer(self) -> str:
        return self.base_url + "/o"

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"


def _free_port() -> int:
    """A free port of the range given to this work (8400-8449), one slice per xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    first = 8400 + 10 * (int(worker) % 5 if worker.isdigit() else 0)
    for port in range(first, first + 10):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the test identity provider")


def start(directory: Path, users: list[dict]) -> tuple[IdentityProvider, subprocess.Popen]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    port = _free_port()
    redirect_uris = [f"{RP_HOST}/dang-nhap/sso/{name}/callback/" for name in PROVIDER_NAMES]
    config = {
        "port": port,
        "database": str(directory / "idp.sqlite3"),
        "secret_key": "test-idp-key",
        "rsa_private_key": pem,
        "users": users,
        "clients": [
            {
                "client_id": cid,
                "client_secret": secret,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": [f"{RP_HOST}/"],
            }
            for cid, secret in CLIENTS.items()
        ],
    }
    config_path = directory / "idp.json"
    config_path.write_text(json.dumps(config))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["LANGSO_TEST_IDP_CONFIG"] = str(config_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "langso.core.tests.idp.serve"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if process.stdout is None or process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError("the test identity provider did not start")
    return IdentityProvider(f"http://127.0.0.1:{port}"), process


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and attributes.get("name"):
            if attributes.get("type") in ("hidden", "text", "password", None):
                self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or ""


def _form(response: requests.Response) -> dict:
    parser = _Forms()
    parser.feed(response.text)
    assert parser.forms, f"no form on {response.url}: {response.text[:300]}"
    return parser.forms[0]


def authorize(
    browser: requests.Session, authorize_url: str, *, username: str, password: str
) -> str:
    """Follow the provider's pages from the authorization URL: log in if asked, approve the
    consent form; return the URL the provider sends the browser back to (the RP callback)."""
    response = browser.get(authorize_url, allow_redirects=False, timeout=30)
    for _ in range(6):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(RP_HOST):
                return location
            response = browser.get(location, allow_redirects=False, timeout=30)
            continue
        form = _form(response)
        target = urljoin(response.url, form["action"] or urlsplit(response.url).path)
        fields = form["fields"]
        if "password" in fields:
            fields.update(username=username, password=password)
        else:
            fields["allow"] = "Authorize"
        response = browser.post(
            target,
            data=fields,
            allow_redirects=False,
            timeout=30,
            headers={"Referer": response.url},
        )
    raise AssertionError(f"the provider did not send the browser back: {response.text[:300]}")

"""The dashboards in a real headless Chromium (through chromedriver's W3C WebDriver protocol,
spoken with urllib so no extra package is needed). Skipped when Chromium is absent."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from langso.core.figures import Figure
from langso.monitor.actions import recompute_indicators

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists() or not shutil.which("chromedriver"),
                                 reason="Chromium or chromedriver not installed")]


NO_SIDEWAYS_SCROLL = ("return window.innerWidth === 390 && "
                      "document.documentElement.scrollWidth <= window.innerWidth;")


class Browser:
    def __init__(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.proc = subprocess.Popen([shutil.which("chromedriver"), f"--port={self.port}"],  # noqa: S603
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": str(CHROMIUM),
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844,
                                                  "pixelRatio": 2, "touch": True}},
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run"]}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
            return json.loads(resp.read())["value"] if path != "/status" else None

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": []})

    def wait_js(self, script, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            result = self.js(script)
            if result:
                return result
            time.sleep(0.2)
        return self.js(script)

    def close(self):
        try:
            self._call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def browser():
    b = Browser()
    yield b
    b.close()


def test_dashboards_render_on_a_phone_with_the_map(live_server, browser, settings, catalogue,
                                                   classified, province, neighbour_commune,
                                                   province_officer, fake_providers):
    settings.LANGSO_TILE_URL = live_server.url + "/static/none/{z}/{x}/{y}.png"  # no network
    # config/settings/base.py lacks STATICFILES_DIRS for langso/static (Leaflet, vnmap.js,
    # base.css); reported to the lead. Until merged, the test adds it.
    settings.STATICFILES_DIRS = [str(Path(__file__).resolve().parents[2] / "static")]
    neighbour_commune.latitude, neighbour_commune.longitude = 21.6, 105.8
    neighbour_commune.save()
    fake_providers[classified.pk] = {"documents.signed_rate": Figure(95, 100)}
    recompute_indicators(units=[province], year=2025)
    client = Client()
    client.force_login(province_officer)
    cookie = client.cookies["sessionid"].value
    browser.get(live_server.url + "/healthz")
    browser.cmd("POST", "/cookie", {"cookie": {"name": "sessionid", "value": cookie,
                                               "path": "/"}})

    browser.get(live_server.url + "/monitor/tinh/?year=2025")
    markers = browser.wait_js("return document.getElementById('map').dataset.markers;")
    assert markers == "2"
    assert browser.js("return document.querySelectorAll('.leaflet-interactive').length;") == 2
    assert "Quần đảo Hoàng Sa (Việt Nam)" in browser.js("return document.body.innerText;")
    assert browser.js(NO_SIDEWAYS_SCROLL)

    browser.get(live_server.url + "/monitor/xa/05641/?year=2025")
    text = browser.js("return document.body.innerText;")
    assert "Xã Vô Tranh" in text and "tiêu chí đạt" in text
    assert browser.js(NO_SIDEWAYS_SCROLL)
    href = browser.js(
        "return [...document.querySelectorAll('a[href*=\"/monitor/so-lieu/\"]')][0].href;")
    browser.get(href)
    assert "Cách tính" in browser.js("return document.body.innerText;")

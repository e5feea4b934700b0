"""Security headers on every page, and a Content-Security-Policy the pages really satisfy: the
templates hold no inline script, handler or style attribute, every main page carries the
headers, and headless Chromium reports no CSP violation on any of them."""

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import make_user
from langso.core.security import SCAN_TEMPLATE, build_policy, inline_style_hashes
from langso.economy.models import Producer, ProducerMember, Product
from langso.people.models import Role
from langso.procedures.actions import load_catalogue
from langso.procedures.models import Procedure
from langso.society.actions.maps import DEFAULT_LAYERS
from langso.society.models import MapLayer
from langso.trace.actions import create_batch

ROOT = Path(settings.BASE_DIR) / "langso"
TEMPLATES = sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# --- the policy itself ----------------------------------------------------------------------


def test_policy_allows_scripts_and_styles_only_from_the_site_and_the_scan_page_style_hash():
    policy = directives(build_policy())
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in build_policy() and "'unsafe-eval'" not in build_policy()
    assert policy["style-src"] == ["'self'", *inline_style_hashes()]
    assert len(inline_style_hashes()) == 1  # trace/scan.html's one <style> block
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    # map tiles come from the configured tile server, in the user's browser
    assert "https://tile.openstreetmap.org" in policy["img-src"]


def test_an_edited_inline_style_would_no_longer_match_its_hash(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        SCAN_TEMPLATE.read_text(encoding="utf-8").replace("color:#1b1b1b", "color:#000")
    )
    assert inline_style_hashes(page) != inline_style_hashes()
    page.write_text("<style>{{ x }}</style>")
    with pytest.raises(ValueError, match="constant"):
        inline_style_hashes(page)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script_handler_or_style_attribute(template):
    text = template.read_text(encoding="utf-8")
    # <script> only with src=, or a json_script data block (never executed)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert "javascript:" not in text
    if template != SCAN_TEMPLATE:
        assert "<style" not in text, "inline <style> (only trace/scan.html has a hashed one)"


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def pages(commune, hamlet, official):
    """The main pages with the data they need: (name, path, signed in?)."""
    load_catalogue(commune=commune)
    procedure = Procedure.objects.filter(commune=commune, code="1.004873").get()
    for position, (slug, name, source, visibility, color) in enumerate(DEFAULT_LAYERS):
        MapLayer.objects.create(
            commune=commune,
            slug=slug,
            name=name,
            source=source,
            visibility=visibility,
            color=color,
            position=position,
            shown_by_default=slug == "du-lich",
        )
    producer = Producer.objects.create(
        name="HTX Chè Vô Tranh", commune=commune, province_code="19", hamlet=hamlet
    )
    manager = make_user("htx.votranh", Role.PRODUCER, commune)
    ProducerMember.objects.create(
        producer=producer,
        user=manager,
        name="Hoàng Thị Lan",
        member_role=ProducerMember.MemberRole.MANAGER,
    )
    product = Product.objects.create(
        producer=producer, name="Chè búp Vô Tranh", unit="kg", price=Decimal("350000")
    )
    batch = create_batch(actor=manager, product=product, lot="VT2026-01", quantity=Decimal("500"))
    survey = _survey_with_answers(commune, official)
    return [
        ("home", reverse("home"), False),
        ("login", reverse("login"), False),
        ("procedures", reverse("procedures:catalogue"), False),
        ("submit form", reverse("procedures:submit", args=[procedure.pk]), True),
        ("market", reverse("economy:market"), False),
        ("society map", reverse("society:map") + f"?commune={commune.code}", False),
        ("documents verify", reverse("documents:verify"), False),
        ("trace scan", f"/t/{product.public_id}/10/{batch.lot}", False),
        ("monitor dashboard", reverse("monitor:commune_dashboard"), True),
        ("desk", reverse("procedures:desk"), True),
        ("survey results", reverse("engage:survey_results", args=[survey.public_id]), True),
    ]


def _survey_with_answers(commune, official):
    """A survey whose results page draws a bar chart (server-rendered SVG)."""
    from langso.engage import actions
    from langso.engage.models import QuestionType

    question = {
        "name": "hai_long",
        "label": "Hài lòng?",
        "qtype": QuestionType.SELECT_ONE,
        "required": True,
        "choices": [{"name": "co", "label": "Có"}, {"name": "khong", "label": "Không"}],
    }
    survey = actions.create_survey(
        actor=official, commune=commune, title="Khảo sát", questions=[question]
    )
    survey = actions.open_survey(actor=official, survey=survey)
    for n, answer in enumerate(["co", "co", "khong"]):
        user = make_user(f"dan{n}", Role.RESIDENT, commune)
        actions.submit_response(actor=user, survey=survey, raw={"hai_long": answer})
    return survey


def test_no_python_module_writes_a_style_attribute_into_markup():
    """Templates are checked above; HTML built in Python (charts, error pages) too."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "/tests/" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\sstyle=\\?["']""", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_every_main_page_carries_the_security_headers(pages, official):
    anonymous, client = Client(), Client()
    client.force_login(official)
    for name, path, signed_in in pages:
        response = (client if signed_in else anonymous).get(path)
        assert response.status_code == 200, (name, response.status_code)
        assert response["Content-Type"].startswith("text/html"), name
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert "camera=()" in response["Permissions-Policy"], name
        # what the policy would refuse in the browser: no style attribute in the markup
        assert not re.search(r"<[^>]*\sstyle\s*=", response.content.decode()), name
    # the benchmarked scan page gets the same constant header, with its style's hash
    scan = client.get(pages[7][1], HTTP_ACCEPT_ENCODING="gzip")
    assert scan["Content-Encoding"] == "gzip"
    assert inline_style_hashes()[0] in scan["Content-Security-Policy"]


def test_json_and_static_responses_carry_the_headers_too(client, commune):
    response = client.get("/api/places/units")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture
def shared_server(db):
    """A live server thread sharing the test's SQLite connection, so it sees this rolled-back
    test's data (`live_server` needs a flush, which the append-only audit log refuses)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    connection = connections["default"]
    if connection.vendor != "sqlite":
        pytest.skip("the shared connection works with the in-memory SQLite test database")
    connection.inc_thread_sharing()
    thread = LiveServerThread(
        "localhost", StaticFilesHandler, connections_override={"default": connection}, port=0
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    connection.dec_thread_sharing()


@pytest.fixture
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists() and shutil.which("chromedriver")):
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1000,800",
        # no network beyond the test server: the tile server does not resolve
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.mark.browser
def test_the_main_pages_raise_no_content_security_policy_violation_in_chromium(
    shared_server, browser, pages, official, settings
):
    from selenium.webdriver.support.ui import WebDriverWait

    settings.STATICFILES_DIRS = [Path(settings.BASE_DIR) / "langso" / "static"]
    client = Client()
    client.force_login(official)
    violations, visited = [], []
    for name, path, signed_in in sorted(pages, key=lambda page: page[2]):
        if signed_in and not browser.get_cookie("sessionid"):
            browser.add_cookie(
                {"name": "sessionid", "path": "/", "value": client.cookies["sessionid"].value}
            )
        browser.get(shared_server + path)
        WebDriverWait(browser, 20).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        # scripts ran (page.js and the map scripts are files, so the policy let them in)
        visited.append((name, browser.execute_script("return document.title")))
        browser.execute_script("return 1")  # let queued console messages arrive
        for entry in browser.get_log("browser"):
            if (
                "Content Security Policy" in entry["message"]
                or "Content-Security-Policy" in entry["message"]
            ):
                violations.append(f"{name}: {entry['message']}")
    assert len(visited) == len(pages)
    assert not violations, "\n".join(violations)
    # The log does catch a violation: markup with a style attribute, parsed on a page, is
    # refused and reported (so an empty list above means something).
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<p id="canary" style="color:red">x</p>\');'
    )
    browser.execute_script("return 1")
    canary = [
        e["message"]
        for e in browser.get_log("browser")
        if "Content Security Policy" in e["message"]
    ]
    assert canary and "style" in canary[0]
    # the moved handlers and styles still work: swatch colours come from page.js
    browser.get(shared_server + pages[5][1])
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script(
            "var s = document.querySelector('.swatch'); return s && s.style.background !== '';"
        )
    )

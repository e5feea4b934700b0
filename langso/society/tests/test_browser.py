"""The commune map in a real headless Chromium (Debian's chromium + chromedriver; the
`browser` fixture comes from langso.core.testing.browser)."""

from datetime import date
from pathlib import Path

from langso.core.testing.browser import Screenshots, requires_browser
from langso.core.testing.browser import wait_for as _wait_for
from langso.society.actions.maps import DEFAULT_LAYERS
from langso.society.models import DiseaseCase, MapFeature, MapLayer

pytestmark = requires_browser


def test_the_map_page_loads_toggles_layers_and_labels_the_archipelagos_as_vietnams(
    transactional_db, live_server, settings, browser, commune, hamlet
):
    # Tiles from the test server itself (they 404, which is fine): no network in tests.
    settings.LANGSO_TILE_URL = live_server.url + "/tiles/{z}/{x}/{y}.png"
    # Project-wide static files (Leaflet, vnmap.js); main's settings list this folder already.
    settings.STATICFILES_DIRS = [Path(settings.BASE_DIR) / "langso" / "static"]
    # Rows made directly, without the actions: they write the append-only audit log, which
    # a transactional test could not flush afterwards.
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
    MapFeature.objects.create(
        layer=MapLayer.objects.get(slug="du-lich"),
        name="Đồi chè Khe Cốc",
        geometry={"type": "Point", "coordinates": [105.765, 21.712]},
    )
    for _ in range(4):
        DiseaseCase.objects.create(
            commune=commune, hamlet=hamlet, disease="Sốt xuất huyết", reported_on=date.today()
        )

    browser.get(live_server.url.replace("127.0.0.1", "localhost") + "/society/ban-do/")
    _wait_for(
        browser, "return document.getElementById('map').getAttribute('data-layer-du-lich') === 'on'"
    )
    # The labels sit far off screen at commune zoom: read the DOM, not the visible text.
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.vn-sovereignty'))"
        ".map(function (e) { return e.textContent; }).join(' ')"
    )
    assert "Quần đảo Hoàng Sa (Việt Nam)" in labels
    assert "Quần đảo Trường Sa (Việt Nam)" in labels
    markers = "return document.querySelectorAll('path.leaflet-interactive').length"
    assert browser.execute_script(markers) == 1  # the tea hill

    browser.find_element("css selector", "input[data-slug='du-lich']").click()
    _wait_for(
        browser,
        "return document.getElementById('map').getAttribute('data-layer-du-lich') === 'off'",
    )
    assert browser.execute_script(markers) == 0

    browser.find_element("css selector", "input[data-slug='dich-benh']").click()
    _wait_for(
        browser,
        "return document.getElementById('map').getAttribute('data-layer-dich-benh') === 'on'",
    )
    assert browser.execute_script(markers) == 1  # one hamlet, never a household
    assert browser.find_elements("css selector", "input[data-slug='ho-gia-dinh']") == []
    Screenshots(browser, "society-map")("layers")


def test_a_help_session_logged_offline_is_synced_once_when_back_online(
    transactional_db, live_server, settings, browser, commune, hamlet, household, monkeypatch
):
    import uuid

    from django.conf import settings as django_settings
    from django.test import Client

    from conftest import make_user
    from langso.core import audit
    from langso.people.models import Role
    from langso.society.models import DigitalTeam, HelpSession, TeamMember

    settings.STATICFILES_DIRS = [Path(settings.BASE_DIR) / "langso" / "static"]
    # The append-only audit log could not be flushed after a transactional test.
    monkeypatch.setattr(audit, "record", lambda **kwargs: None)
    member = make_user("congnghe.votranh", Role.DIGITAL_TEAM_MEMBER, commune)
    team = DigitalTeam.objects.create(commune=commune, hamlet=hamlet, name="Tổ CNS Khe Cốc")
    TeamMember.objects.create(team=team, user=member)
    login = Client()
    login.force_login(member)
    base = live_server.url.replace("127.0.0.1", "localhost")
    browser.get(base + "/static/society/helplog.js")  # set cookies on the right origin
    browser.add_cookie(
        {
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": login.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    browser.get(base + "/society/to-cong-nghe/ghi-nhan/")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    browser.find_element("id", "household_code").send_keys(household.code)
    browser.find_element("css selector", "#help-form button[type=submit]").click()
    _wait_for(browser, "return window.LangSoHelpLog.queue().length === 1")
    assert HelpSession.objects.count() == 0
    queued = browser.execute_script("return window.LangSoHelpLog.queue()[0]")
    assert uuid.UUID(queued["id"]).version == 4

    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    browser.find_element("id", "sync-now").click()
    _wait_for(browser, "return window.LangSoHelpLog.queue().length === 0")
    session = HelpSession.objects.get()
    assert str(session.pk) == queued["id"] and session.household == household

    # A phone that lost the answer sends the same session again: still one row.
    browser.execute_script(
        "localStorage.setItem('langso.helpSessions.queue', JSON.stringify([arguments[0]]));"
        "window.LangSoHelpLog.sync();",
        queued,
    )
    _wait_for(browser, "return window.LangSoHelpLog.queue().length === 0")
    assert HelpSession.objects.count() == 1


def test_an_official_adds_a_training_session_and_ticks_attendees_on_a_phone(
    transactional_db, live_server, settings, phone_browser, commune, monkeypatch
):
    from selenium.webdriver.common.by import By

    from conftest import make_user
    from langso.core import audit
    from langso.core.testing.browser import log_in, page_text, submit_and_wait
    from langso.people.models import Role
    from langso.society.models import Attendance

    settings.STATICFILES_DIRS = [Path(settings.BASE_DIR) / "langso" / "static"]
    # The append-only audit log could not be flushed after a transactional test.
    monkeypatch.setattr(audit, "record", lambda **kwargs: None)
    monkeypatch.setattr(audit, "record_change", lambda **kwargs: None)
    make_user("canbo.votranh", Role.COMMUNE_OFFICIAL, commune, first_name="Bình", last_name="Hà")
    make_user("ketoan.votranh", Role.COMMUNE_OFFICIAL, commune, first_name="Hoa", last_name="Lê")
    base = live_server.url.replace("127.0.0.1", "localhost")
    shots = Screenshots(phone_browser, "society-training")
    log_in(phone_browser, base, "canbo.votranh", "pw-canbo.votranh", "/society/tap-huan/")
    assert "0/2" in page_text(phone_browser)
    shots("training-page")

    phone_browser.find_element(By.NAME, "title").send_keys("Kỹ năng số cho cán bộ xã")
    phone_browser.find_element(By.NAME, "place").send_keys("Hội trường UBND xã")
    submit_and_wait(
        phone_browser,
        phone_browser.find_element(By.CSS_SELECTOR, "form[action$='/tap-huan/'] button"),
    )
    assert "Đã thêm buổi tập huấn" in page_text(phone_browser)
    for label in phone_browser.find_elements(By.CSS_SELECTOR, "label.check"):
        if "Lê Hoa" in label.text:
            label.click()
    shots("attendance")
    submit_and_wait(
        phone_browser,
        phone_browser.find_element(By.CSS_SELECTOR, "#attendance-form button[type=submit]"),
    )
    assert "Đã lưu điểm danh: 1 cán bộ." in page_text(phone_browser)
    assert Attendance.objects.get().user.username == "ketoan.votranh"

    phone_browser.get(base + "/society/tap-huan/")
    assert "1/2" in page_text(phone_browser)
    # Nothing wider than the phone's screen.
    assert phone_browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth;"
    )
    shots("figure-follows")

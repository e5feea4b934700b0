"""The dashboards in a real headless Chromium on a phone-sized screen (the `phone_browser`
fixture comes from langso.core.testing.browser). Skipped when Chromium is absent."""

from django.conf import settings as django_settings
from django.test import Client

from langso.core.figures import Figure
from langso.core.testing.browser import requires_browser, wait_for
from langso.monitor.actions import recompute_indicators

pytestmark = requires_browser


NO_SIDEWAYS_SCROLL = (
    "return window.innerWidth === 390 && document.documentElement.scrollWidth <= window.innerWidth;"
)


def test_dashboards_render_on_a_phone_with_the_map(
    live_server,
    phone_browser,
    settings,
    catalogue,
    classified,
    province,
    neighbour_commune,
    province_officer,
    fake_providers,
):
    browser = phone_browser
    settings.LANGSO_TILE_URL = live_server.url + "/static/none/{z}/{x}/{y}.png"  # no network
    neighbour_commune.latitude, neighbour_commune.longitude = 21.6, 105.8
    neighbour_commune.save()
    fake_providers[classified.pk] = {"documents.signed_rate": Figure(95, 100)}
    recompute_indicators(units=[province], year=2025)
    client = Client()
    client.force_login(province_officer)
    browser.get(live_server.url + "/healthz")
    browser.add_cookie(
        {
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )

    browser.get(live_server.url + "/monitor/tinh/?year=2025")
    markers = wait_for(browser, "return document.getElementById('map').dataset.markers;")
    assert markers == "2"
    assert (
        browser.execute_script("return document.querySelectorAll('.leaflet-interactive').length;")
        == 2
    )
    assert "Quần đảo Hoàng Sa (Việt Nam)" in browser.execute_script(
        "return document.body.innerText;"
    )
    assert browser.execute_script(NO_SIDEWAYS_SCROLL)

    browser.get(live_server.url + "/monitor/xa/05641/?year=2025")
    text = browser.execute_script("return document.body.innerText;")
    assert "Xã Vô Tranh" in text and "tiêu chí đạt" in text
    assert browser.execute_script(NO_SIDEWAYS_SCROLL)
    href = browser.execute_script(
        "return [...document.querySelectorAll('a[href*=\"/monitor/so-lieu/\"]')][0].href;"
    )
    browser.get(href)
    assert "Cách tính" in browser.execute_script("return document.body.innerText;")

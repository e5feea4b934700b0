"""Single sign-on as a person tries it in the demo, in a real headless Chromium: the login
page's "VNeID (thử nghiệm)" button, the test provider's page, back to Làng Số signed in; then
an official through "SSO tỉnh (thử nghiệm)". Screenshots in
`$LANGSO_ARTIFACTS_DIR/screenshots/sso-demo/`."""

import pytest

from langso.core.testing.browser import (
    Screenshots,
    page_text,
    requires_browser,
    submit_and_wait,
    wait_for,
)

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(driver, selector: str) -> None:
    submit_and_wait(driver, driver.find_element("css selector", selector))


def wait_for_path(driver, path: str) -> None:
    wait_for(
        driver,
        "return location.pathname === arguments[0] && document.readyState === 'complete';",
        path,
    )


def test_a_resident_then_an_official_sign_in_with_the_test_provider_buttons(
    live_server, browser, demo_idp, resident_user, household, official
):
    demo_idp.LANGSO_PUBLIC_URL = live_server.url
    shot = Screenshots(browser, "sso-demo")

    browser.get(live_server.url + "/dang-nhap/")
    assert "Đăng nhập bằng VNeID (thử nghiệm)" in page_text(browser)
    shot("login-page")
    click_and_wait(browser, "a[href='/dang-nhap/sso/vneid/']")
    wait_for_path(browser, "/demo-idp/authorize/")
    text = page_text(browser)
    assert "Nhà cung cấp định danh THỬ NGHIỆM" in text and "Đây không phải VNeID" in text
    assert "Nguyễn Văn An" in text
    shot("test-provider-residents")
    click_and_wait(browser, "button[data-identity='resident-account']")
    wait_for_path(browser, "/")
    assert "nguoidan.an" in page_text(browser)
    shot("resident-signed-in")

    # log out (Làng Số, then the provider's end-session, back home)
    click_and_wait(browser, "header form[action='/dang-xuat/'] button")
    wait_for_path(browser, "/")
    assert "nguoidan.an" not in page_text(browser)

    browser.get(live_server.url + "/dang-nhap/?next=/monitor/")
    click_and_wait(browser, "a[href^='/dang-nhap/sso/sso-tinh/']")
    wait_for_path(browser, "/demo-idp/authorize/")
    assert "canbo.votranh" in page_text(browser)
    shot("test-provider-officials")
    click_and_wait(browser, "button[data-identity='official-canbo.votranh']")
    wait_for_path(browser, "/monitor/")
    text = page_text(browser)
    assert "canbo.votranh" in text and "Xã Vô Tranh" in text
    shot("official-on-the-dashboard")

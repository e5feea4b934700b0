"""The browser fixtures fail a test whose pages broke their Content-Security-Policy; this
proves the check sees a violation (so the journeys passing means something)."""

import pytest

from langso.core.testing.browser import csp_violations, requires_browser

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_fixture_sees_a_style_attribute_the_policy_refuses(live_server, browser):
    browser.get(live_server.url + "/dang-nhap/")
    assert csp_violations(browser) == []  # the page itself keeps to its policy
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<p style=\"color:red\">x</p>');"
    )
    browser.execute_script("return 1")
    found = csp_violations(browser)
    assert found and "style" in found[0]

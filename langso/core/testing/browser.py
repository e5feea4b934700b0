"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven through
/usr/bin/chromedriver by Selenium. Loaded as a pytest plugin by the root conftest.py, so any
test can ask for the `browser` (desktop window) or `phone_browser` (390 px touch screen)
fixture; both skip the test when Chromium or chromedriver is missing.

The browser reaches nothing but the test server: every host name except localhost resolves
to nothing, so map tiles and other outside resources fail fast, as they would offline.

Screenshots go to `$LANGSO_ARTIFACTS_DIR/screenshots/<journey>/<step>.png` (default
`var/artifacts` in the project folder), which CI keeps as artefacts.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = Path(os.environ.get("LANGSO_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("LANGSO_CHROMEDRIVER", "/usr/bin/chromedriver"))
PROJECT_ROOT = Path(__file__).resolve().parents[3]

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--lang=vi-VN",
    # no network beyond the test server (which the tests reach as 127.0.0.1/localhost)
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
)


def browser_available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


#: Mark a test or module: `pytestmark = requires_browser`.
requires_browser = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not browser_available(),
        reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian chromium, chromium-driver)",
    ),
]


def start_chromium(
    *, width: int = 1280, height: int = 900, phone: bool = False, download_dir: Path | None = None
):
    """A new headless Chromium session; the caller quits it."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not browser_available():
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER}")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    if phone:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True}},
        )
    else:
        options.add_argument(f"--window-size={width},{height}")
    prefs: dict[str, object] = {"intl.accept_languages": "vi-VN,vi"}
    if download_dir is not None:
        prefs.update(
            {
                "download.default_directory": str(download_dir),
                "download.prompt_for_download": False,
                "plugins.always_open_pdf_externally": True,
            }
        )
    options.add_experimental_option("prefs", prefs)
    # The console log, where Chromium reports Content-Security-Policy violations.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(max(WAIT_SECONDS, 60))
    if download_dir is not None:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
        )
    return driver


def csp_violations(driver) -> list[str]:
    """The Content-Security-Policy violations Chromium reported since the last read."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # not every driver keeps a console log
        return []
    return [
        e["message"]
        for e in entries
        if "Content Security Policy" in e["message"] or "Content-Security-Policy" in e["message"]
    ]


def _quit_checking_csp(driver) -> None:
    violations = csp_violations(driver)
    driver.quit()
    assert not violations, "pages broke their Content-Security-Policy:\n" + "\n".join(violations)


@pytest.fixture
def browser():
    """A desktop-sized headless Chromium (1280 x 900). Every page the test opened must have
    kept to its Content-Security-Policy (checked when the test ends)."""
    driver = start_chromium()
    yield driver
    _quit_checking_csp(driver)


@pytest.fixture
def phone_browser():
    """Headless Chromium emulating a 390 x 844 touch phone (CSP checked like `browser`)."""
    driver = start_chromium(width=390, height=844, phone=True)
    yield driver
    _quit_checking_csp(driver)


# Generous: the shared CI machine may be busy; a wait only ends early when the page is ready.
WAIT_SECONDS = float(os.environ.get("LANGSO_BROWSER_WAIT", "60"))


def wait_for(driver, script: str, *args, timeout: float = WAIT_SECONDS):
    """Run `script` until it returns something truthy; fail with the page's state if it
    never does."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script(script, *args)
        )
    except TimeoutException:
        try:
            console = driver.get_log("browser")
        except Exception:  # not every driver keeps a console log
            console = []
        pytest.fail(
            f"timed out waiting for {script!r} on {driver.current_url}; "
            f"console: {console}; page: {page_text(driver)[:600]!r}"
        )


def wait_for_file(folder: Path, pattern: str = "*", timeout: float = WAIT_SECONDS) -> Path:
    """The first finished download in `folder` matching `pattern`."""
    import time

    end = time.monotonic() + timeout
    while True:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        if time.monotonic() > end:
            pytest.fail(
                f"no download matching {pattern} in {folder}: {[p.name for p in folder.iterdir()]}"
            )
        time.sleep(0.1)


def submit_and_wait(driver, element, timeout: float = WAIT_SECONDS) -> None:
    """Click `element` (a submit button or link) and wait until the next page replaced the
    current one, so that nothing is read from the old page."""
    from selenium.common.exceptions import (
        StaleElementReferenceException,
        TimeoutException,
        WebDriverException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element("tag name", "html")

    def replaced(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            # Asked while the old page's JavaScript context is being torn down, chromedriver
            # answers "unhandled inspector error: Cannot find context with specified id"
            # instead of a stale element: the old page is gone all the same.
            if "inspector error" in str(exc) or "context" in str(exc):
                return True
            raise
        return False

    element.click()
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(replaced)
    except TimeoutException:
        pytest.fail(
            f"no new page after clicking on {driver.current_url}: {page_text(driver)[:600]!r}"
        )
    wait_for(driver, "return document.readyState === 'complete';", timeout=timeout)


def page_text(driver) -> str:
    """The visible text of the page, whitespace folded."""
    return re.sub(r"\s+", " ", driver.execute_script("return document.body.innerText;") or "")


def log_in(driver, base_url: str, username: str, password: str, next_path: str = "/") -> None:
    """Sign in through the local login form, as a person would."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base_url}/dang-nhap/?next={quote(next_path)}")  # keeps its own ?a=1&b=2
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    if driver.execute_script("return location.pathname.startsWith('/dang-nhap/');"):
        pytest.fail(f"login of {username} refused: {page_text(driver)[:300]}")


def artifacts_dir() -> Path:
    """Where test artefacts go: $LANGSO_ARTIFACTS_DIR, else var/artifacts."""
    configured = os.environ.get("LANGSO_ARTIFACTS_DIR")
    return Path(configured).resolve() if configured else PROJECT_ROOT / "var" / "artifacts"


class Screenshots:
    """Full-page screenshots of one journey, numbered in the order they were taken:
    `<artifacts>/screenshots/<journey>/01-<step>.png`. The journey's old ones are removed
    first, so the folder always shows the last run."""

    def __init__(self, driver, journey: str):
        self.driver = driver
        self.folder = artifacts_dir() / "screenshots" / journey
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def __call__(self, step: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{step}.png"
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": min(size["height"], 6000),
                    "scale": 1,
                },
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        self.taken.append(path)
        return path

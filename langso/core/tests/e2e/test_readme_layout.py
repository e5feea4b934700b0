"""Each page of the README's "What to try in the demo" table, as the row's person sees it, at
desktop width (1280 px) and on a 360 px phone, in Vietnamese and in English (the language
switch's cookie). On every page: the `<html lang>` is the language asked for, a heading of
the page is in that language, the site's header and footer carry no Vietnamese when the page
is in English, and at 360 px nothing is wider than the screen.

One test per row, in one browser session of the row's person (the four views reuse it).
Screenshots: `$LANGSO_ARTIFACTS_DIR/screenshots/layout-<row>/NN-<language>-<width>.png`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from langso.core.testing.browser import Screenshots, requires_browser, wait_for

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = (1280, 900), (360, 740)


@dataclass(frozen=True)
class Row:
    """One page of a README row: who opens it, where, and a heading it shows (a msgid,
    with its placeholders' values if it has any)."""

    slug: str
    who: str | None
    path: str
    heading: str
    data: tuple[str, ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    #: the page's content names things from the official Vietnamese texts (criteria)
    content_is_data: bool = False
    #: the header's log-out link in Vietnamese and English, where it is not the site's own
    log_out: tuple[str, str] | None = None
    #: the page's header has an account link
    account_nav: bool = True


ROWS = [
    Row(
        "procedures",
        "nguoidan.an",
        "/procedures/",
        "Dịch vụ công trực tuyến",
        ("resident_user", "marital"),
    ),
    Row(
        "desk",
        "canbo.votranh",
        "/procedures/ban-lam-viec/",
        "Bàn làm việc một cửa",
        ("submitted_dossier", "official"),
    ),
    Row("documents-verify", None, "/documents/verify/", "Kiểm tra văn bản ký số"),
    Row("people", "canbo.votranh", "/people/", "Hộ gia đình", ("official", "household")),
    Row(
        "audit-log",
        "chutich.votranh",
        "/nhat-ky/",
        "Nhật ký truy cập và thay đổi dữ liệu",
        ("leader", "id_revealed"),
    ),
    Row("economy", None, "/economy/", "Sản phẩm của", ("listed_tea",)),
    Row(
        "economy-product",
        None,
        "/economy/products/{product}/",
        "Chứng nhận còn hiệu lực",
        ("listed_tea",),
    ),
    Row("trace", "htx.votranh", "/t/lo/", "Lô sản phẩm và truy xuất nguồn gốc", ("tea_story",)),
    Row(
        "trace-scan",
        None,
        "/01/0{gtin}/10/VT2026-01",
        "Nhật ký của lô",
        ("tea_story",),
        account_nav=False,  # the consumer's page: no account, no language switch
    ),
    Row(
        "society-map",
        None,
        "/society/ban-do/",
        "Bản đồ số %(name)s",
        ("hamlet",),
        {"name": "Xã Vô Tranh"},
    ),
    Row(
        "digital-address",
        None,
        "/society/dia-chi/?q=khe+coc",
        "Tra cứu địa chỉ số",
        ("addressed_household",),
    ),
    Row(
        "health",
        "yte.votranh",
        "/society/suc-khoe/?q=nguyen+van+an",
        "Hồ sơ sức khoẻ điện tử",
        ("health_worker", "health_record"),
    ),
    Row(
        "help-log",
        "congnghe.votranh",
        "/society/to-cong-nghe/ghi-nhan/",
        "Ghi nhận buổi hỗ trợ",
        ("team_member",),
    ),
    Row(
        "training", "canbo.votranh", "/society/tap-huan/", "Tập huấn kỹ năng số", ("two_officials",)
    ),
    Row(
        "engage",
        "nguoidan.an",
        "/engage/",
        "Tương tác với người dân",
        ("resident_user", "engage_news"),
    ),
    Row(
        "engage-directory",
        "nguoidan.an",
        "/engage/directory/",
        "Danh bạ cán bộ",
        ("resident_user", "engage_news"),
    ),
    Row(
        "monitor-province",
        "tinh.thainguyen",
        "/monitor/tinh/",
        "Bản đồ các xã theo số tiêu chí đạt",
        ("province_officer", "commune", "monitor_catalogue"),
    ),
    Row(
        "programme-scope",
        "tinh.thainguyen",
        "/monitor/tinh/19/pham-vi/",
        "Phạm vi chương trình nông thôn mới",
        ("province_officer", "commune", "ward"),
    ),
    Row(
        "assessment",
        "chutich.votranh",
        "/monitor/?year=2026&bo=ntm-thong-minh-thi-diem",
        "Hồ sơ tự đánh giá",
        ("leader", "monitor_catalogue"),
        content_is_data=True,
    ),
    Row("login", None, "/dang-nhap/", "Đăng nhập"),
    Row("not-found", None, "/khong-co/", "Không tìm thấy trang"),
    Row(
        "feedback",
        "nguoidan.an",
        "/engage/feedback/new/",
        "Gửi phản ánh, kiến nghị",
        ("resident_user", "feedback_category"),
    ),
    Row(
        "receipt",
        "nguoidan.an",
        "/procedures/ho-so/{dossier}/bien-nhan/",
        "Giấy biên nhận hồ sơ",
        ("submitted_dossier",),
    ),
    Row(
        "consents",
        "nguoidan.an",
        "/society/suc-khoe/dong-y/",
        "Ai được xem hồ sơ sức khoẻ của tôi",
        ("health_record_read",),
    ),
    Row(
        "admin",
        "canbo.votranh",
        "/admin/",
        "Quản trị dữ liệu",
        ("official", "household"),
        log_out=("Thoát", "Log out"),
    ),
    Row("places", None, "/places/?q=tuc+tranh", "Tra cứu đơn vị hành chính", ("legacy_units",)),
]


# Vietnamese letters: đ, or a base letter with a Vietnamese diacritic (decomposed, NFD).
VIETNAMESE = re.compile("[đĐ\u0300\u0301\u0303\u0306\u0309\u0323\u031b\u0302]")
# Names that stay Vietnamese in any language: the site's, the switch's, the fixtures' places
# and people.
PROPER_NOUNS = (
    "Làng Số",
    "Tiếng Việt",
    "Xã Vô Tranh",
    "Tỉnh Thái Nguyên",
    "Hà Văn Bình",
    "Vũ Đức Thắng",
    "Chè búp Vô Tranh",
)

HEADINGS = "return [...document.querySelectorAll('h1, h2, h3')].map(e => e.innerText).join('\\n');"
CHROME = (
    "return [...document.querySelectorAll('body > header, body > footer, #header')]"
    ".map(e => e.innerText).join('\\n');"
)
MAIN_LABELS = (
    "return [...document.querySelectorAll('main h1, main h2, main h3, main th, main label,"
    " main button, main legend, main summary')].map(e => e.innerText).join('\\n');"
)
# A table that only fits by scrolling inside its frame: its first header cells.
SCROLLS_SIDEWAYS = (
    "return [...document.querySelectorAll('main .table-wrap')]"
    ".filter(w => w.scrollWidth > w.clientWidth + 1)"
    ".map(w => (w.querySelector('th') || w).innerText.slice(0, 40));"
)
SHOWN = "return document.readyState === 'complete' && !!document.querySelector('h1');"


def vietnamese_words(text: str, names: tuple[str, ...] = ()) -> list[str]:
    for name in PROPER_NOUNS:
        text = text.replace(name, "")
    # a person's name may be shown in any case ("WELCOME, TRẦN VĂN BÌNH.")
    own = {w.lower() for name in names for w in name.split()}
    return [
        w
        for w in text.split()
        if VIETNAMESE.search(unicodedata.normalize("NFD", w))
        and w.lower().strip(".,:;!?") not in own
    ]


def in_english(msgid: str, params: dict[str, str]) -> str:
    with translation.override("en"):
        english = translation.gettext(msgid)
    return english % params if params else english


def sign_in(driver, base_url: str, username: str | None) -> str:
    """The row's person's session in the browser (the login form has its own journeys);
    the name the site shows for them."""
    if username is None:
        return ""
    from langso.people.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    driver.execute_cdp_cmd(
        "Network.setCookie",
        {
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "url": base_url,
        },
    )
    # every way the site may name them (the admin greets with the full name, in capitals)
    return " ".join(dict.fromkeys([str(user), user.get_full_name(), user.get_short_name()]))


def choose_language(driver, base_url: str, language: str) -> None:
    driver.execute_cdp_cmd(
        "Network.setCookie",
        {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
    )


def set_width(driver, width: int, height: int) -> None:
    if width == DESKTOP[0]:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
        )


def check_page(driver, row: Row, language: str, width: int, who: str) -> list[str]:
    """What is wrong with the page on screen, as sentences (empty: nothing)."""
    where = f"{row.path} [{language}, {width} px]"
    problems = []
    lang = driver.find_element("tag name", "html").get_attribute("lang")
    if lang != language:
        problems.append(f"{where}: <html lang={lang!r}>")
    headings = driver.execute_script(HEADINGS)
    expected = row.heading % row.params if row.params else row.heading
    if language == "en":
        english = in_english(row.heading, row.params)
        if english == expected:
            problems.append(f"{where}: {row.heading!r} has no English translation")
        expected = english
    if expected not in headings:
        problems.append(f"{where}: no heading {expected!r} in {headings!r}")
    chrome = driver.execute_script(CHROME)
    # the header's account link (Django's admin has its own words for it)
    if row.log_out:
        account = row.log_out[language == "en"]
    else:
        account = "Đăng xuất" if who else "Đăng nhập"
        if language == "en":
            account = in_english(account, {})
    if row.account_nav and account.casefold() not in chrome.casefold():
        problems.append(f"{where}: no {account!r} in the header {chrome!r}")
    if language == "en":
        untranslated = vietnamese_words(chrome, (who,))
        if untranslated:
            problems.append(f"{where}: Vietnamese in the header or footer: {untranslated}")
        if not row.content_is_data:
            untranslated = vietnamese_words(driver.execute_script(MAIN_LABELS), (who,))
            if untranslated:
                problems.append(f"{where}: Vietnamese headings or labels: {untranslated}")
    if width == PHONE[0]:
        inner, scroll = driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth];"
        )
        if inner != width or scroll > inner + 1:
            problems.append(f"{where}: {scroll} px wide on a {inner} px screen")
        sideways = driver.execute_script(SCROLLS_SIDEWAYS)
        if sideways:
            problems.append(f"{where}: tables wider than the screen: {sideways}")
    return problems


def check_row(request, live_server, chromium, row: Row) -> list[str]:
    """The row's page as its person, in both languages, at both widths; what is wrong."""
    values = {name: request.getfixturevalue(name) for name in row.data}
    ids = {}
    if "submitted_dossier" in values:
        ids["dossier"] = values["submitted_dossier"].public_id
    for tea in (values.get("tea_story"), values.get("listed_tea")):
        if tea:
            ids.update(product=tea["product"].public_id, gtin=tea["product"].gtin)
    path = row.path.format(**ids)
    base = live_server.url
    chromium.delete_all_cookies()  # the previous row's person
    who = sign_in(chromium, base, row.who)
    shot = Screenshots(chromium, f"layout-{row.slug}")
    problems: list[str] = []
    for language in ("vi", "en"):
        choose_language(chromium, base, language)
        for width, height in (DESKTOP, PHONE):
            set_width(chromium, width, height)
            chromium.get(base + path)
            wait_for(chromium, SHOWN)
            problems += check_page(chromium, row, language, width, who)
            shot(f"{language}-{width}")
    return problems


def test_every_readme_page_reads_well_on_a_phone_and_on_a_desktop_in_both_languages(
    request, live_server, chromium
):
    """One test for all the rows: one world and one database flush instead of one per row
    (a flush costs seconds on PostgreSQL). Every row is checked; all problems are reported."""
    problems: list[str] = []
    for row in ROWS:
        problems += check_row(request, live_server, chromium, row)
    assert not problems, "\n".join(problems)

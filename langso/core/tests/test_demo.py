import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from langso.core.models import DemoRun
from langso.people.models import Household, Resident, RoleAssignment, User


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_prepares_vo_tranh_once_and_reuses_it_on_the_second_run(monkeypatch):
    from django.conf import settings

    monkeypatch.delenv("LANGSO_PUBLIC_URL", raising=False)
    out = StringIO()
    call_command("demo", "--no-serve", "--households", "40", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "Xã Vô Tranh" in text
    # the printed QR links open the demo's own port, and the setting is not left changed
    # ... and they are real GS1 Digital Links: the demo's products have GTINs (893 prefix)
    assert "  Lô MC" in text and ": http://127.0.0.1:8123/01/0893" in text
    assert "/t/" not in text.split("Tem in:")[0]
    assert ":8123" not in settings.LANGSO_PUBLIC_URL
    assert "chutich.votranh" in text and "langso-demo" in text
    households = Household.objects.filter(commune__code="05641", commune__structure="2025")
    assert households.count() == 40
    residents = Resident.objects.count()
    assert residents >= 40
    heads = Resident.objects.filter(relation_to_head="head").count()
    assert heads == 40
    assert {"chutich.votranh", "tinh.thainguyen", "nguoidan.votranh", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert RoleAssignment.objects.filter(
        user__username="tinh.thainguyen", unit__level="province", unit__code="19"
    ).exists()
    loaded = set(DemoRun.objects.values_list("app", flat=True))

    assert numbers_written_in_english(demo_pages()) == []

    again = StringIO()
    call_command("demo", "--no-serve", "--households", "40", stdout=again)
    assert "Đang tạo" not in again.getvalue()
    assert Household.objects.count() == 40 and Resident.objects.count() == residents
    assert set(DemoRun.objects.values_list("app", flat=True)) == loaded


@pytest.mark.django_db
def test_demo_population_is_deterministic_for_a_seed(commune):
    from langso.people.demo import populate_commune

    populate_commune(commune, households=5, seed=7)
    first = list(Resident.objects.order_by("id").values_list("full_name", "citizen_id"))
    Resident.objects.all().delete()
    Household.objects.all().delete()
    populate_commune(commune, households=5, seed=7)
    assert list(Resident.objects.order_by("id").values_list("full_name", "citizen_id")) == first


# Pages of the demo, by who reads them (None: anonymous), whose numbers the check below reads.
DEMO_PAGES = {
    None: [
        "/",
        "/procedures/",
        "/economy/",
        "/economy/demands/",
        "/economy/areas/",
        "/engage/",
        "/monitor/",
    ],
    "canbo.votranh": [
        "/procedures/ban-lam-viec/",
        "/procedures/so-lieu/",
        "/people/",
        "/society/tap-huan/",
        "/society/ban-do/",
    ],
    "chutich.votranh": ["/monitor/", "/nhat-ky/"],
    "tinh.thainguyen": ["/monitor/tinh/19/"],
    "sanxuat.votranh": ["/t/lo/"],
    "nguoidan.votranh": ["/society/suc-khoe/dong-y/"],
}
# Written as an English reader would: money without thousands dots ("250000 đ"), a decimal
# point ("0.1513", "99.4%"). Vietnamese: "250.000 đ", "0,1513", "99,4%" (langso/core/formats.py).
ENGLISH_MONEY = re.compile(r"(?<![\d.,])\d{4,}\s?(?:đ|₫|VNĐ|VND)(?!\w)")
DECIMAL_POINT = re.compile(r"(?<![\d.,])\d+\.\d{4,}(?!\d|[.,]\d)|(?<![\d.,])\d+\.\d+\s?%")


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return unescape(re.sub(r"(?s)<[^>]+>", " ", html))


def demo_pages():
    """(who, path, visible text) of the demo's pages, with one product page and one commune
    page of the monitoring found by following links."""
    for username, paths in DEMO_PAGES.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        for path in paths:
            response = client.get(path, follow=True)
            assert response.status_code == 200, (username, path)
            html = response.content.decode()
            yield username, path, visible_text(html)
            if path == "/economy/":
                product = re.search(r'href="(/economy/products/[0-9a-f-]+/)"', html)
                assert product, "the market lists a product"
                yield username, product[1], visible_text(client.get(product[1]).content.decode())


def numbers_written_in_english(pages) -> list[tuple]:
    found = []
    for username, path, text in pages:
        for pattern in (ENGLISH_MONEY, DECIMAL_POINT):
            for match in pattern.finditer(text):
                found.append((username, path, text[max(0, match.start() - 30) : match.end()]))
    return found


def test_the_number_check_catches_numbers_written_in_english():
    pages = [(None, "/x/", "Giá 250000 đ, tỉ lệ 0.1513, đạt 99.4 %")]
    assert len(numbers_written_in_english(pages)) == 3
    pages = [(None, "/x/", "Giá 250.000 đ, tỉ lệ 0,1513, đạt 99,4%, tiêu chí 7.4, năm 2026")]
    assert numbers_written_in_english(pages) == []

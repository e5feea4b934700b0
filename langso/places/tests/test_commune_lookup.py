"""One lookup of a commune by code; the current (2025) structure wins where codes overlap."""

import pytest

from langso.places.queries import commune_by_code

pytestmark = pytest.mark.django_db


def test_a_code_shared_with_a_legacy_commune_names_the_2025_one(commune, legacy_units):
    assert commune_by_code("05641") == commune
    assert commune_by_code(" 05641 ") == commune


def test_a_code_only_a_legacy_commune_has_is_found_or_followed_to_its_successor(
    commune, legacy_units
):
    assert commune_by_code("05662") == legacy_units["phu_do"]
    assert commune_by_code("05662", current=True) == commune


def test_no_code_or_an_unknown_one_finds_nothing(commune):
    assert commune_by_code("") is None
    assert commune_by_code(None) is None
    assert commune_by_code("99999") is None


def test_the_public_figures_page_shows_the_current_commune(client, commune, legacy_units):
    body = client.get("/procedures/so-lieu/?xa=05641").content.decode()
    assert "Xã Vô Tranh" in body
    assert "Xã Tức Tranh" not in body

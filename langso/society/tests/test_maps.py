import json
import sys
import types
from datetime import date

import pytest
from django.urls import reverse

from langso.core.exceptions import ValidationFailed
from langso.society.actions.addresses import place_address_point
from langso.society.actions.maps import add_feature
from langso.society.models import DiseaseCase, MapFeature
from langso.society.queries.maps import growing_areas_geojson_or_empty


def _layer_url(slug, commune):
    return f"/api/society/layers/{slug}.geojson?commune={commune.code}"


def test_map_page_loads_leaflet_the_sovereignty_helper_and_only_public_layers_for_visitors(
    client, layers
):
    response = client.get(reverse("society:map"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in text and "langso/vnmap.js" in text
    assert 'data-slug="du-lich"' in text
    assert 'data-slug="ho-gia-dinh"' not in text
    assert 'data-slug="camera"' not in text


def test_the_households_layer_is_off_when_the_map_opens_and_drawn_underneath(
    client, layers, official
):
    """3,000 household dots must not cover the map an official opens."""
    import json
    import re

    client.force_login(official)
    html = client.get(reverse("society:map")).content.decode()
    box = re.search(r'<input type="checkbox" data-slug="ho-gia-dinh"[^>]*>', html)[0]
    assert "checked" not in box
    data = json.loads(re.search(r'id="layer-data"[^>]*>(.*?)</script>', html, re.S)[1])
    households = next(d for d in data if d["slug"] == "ho-gia-dinh")
    assert households["underneath"] and not households["on"]
    assert not any(d["underneath"] for d in data if d["slug"] != "ho-gia-dinh")


def test_map_page_shows_officials_layers_to_officials_of_the_commune_only(
    client, layers, official, other_official
):
    client.force_login(official)
    assert 'data-slug="ho-gia-dinh"' in client.get(reverse("society:map")).content.decode()
    client.force_login(other_official)
    text = client.get(reverse("society:map"), {"commune": "05641"}).content.decode()
    assert 'data-slug="ho-gia-dinh"' not in text


def test_a_public_layer_is_served_as_geojson_with_its_features(client, commune, layers):
    add_feature(
        actor=None,
        layer=layers["du-lich"],
        name="Đồi chè Khe Cốc",
        geometry={"type": "Point", "coordinates": [105.76, 21.71]},
        description="Đồi chè",
    )
    response = client.get(_layer_url("du-lich", commune))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["properties"]["name"] == "Đồi chè Khe Cốc"
    assert body["features"][0]["geometry"]["coordinates"] == [105.76, 21.71]


def test_the_households_layer_is_refused_to_visitors_and_other_communes_officials(
    client, commune, layers, official, other_official, resident_user, household
):
    place_address_point(actor=official, household=household, latitude=21.7101, longitude=105.7702)
    url = _layer_url("ho-gia-dinh", commune)
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "society.not_allowed"
    for user in (other_official, resident_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(official)
    body = client.get(url).json()
    assert len(body["features"]) == 1
    assert body["features"][0]["properties"]["name"].startswith("05641-")


def test_the_epidemic_layer_aggregates_by_hamlet_and_suppresses_small_counts(
    client, commune, hamlet, layers, household
):
    from langso.places.models import Hamlet

    quiet = Hamlet.objects.create(
        commune=commune, code="05641-02", name="Xóm Gốc Lim", latitude=21.69, longitude=105.76
    )
    for _ in range(4):
        DiseaseCase.objects.create(
            commune=commune,
            hamlet=hamlet,
            resident=household.head,
            disease="Sốt xuất huyết",
            reported_on=date.today(),
        )
    DiseaseCase.objects.create(
        commune=commune, hamlet=quiet, disease="Sốt xuất huyết", reported_on=date.today()
    )
    body = client.get(_layer_url("dich-benh", commune)).json()
    by_hamlet = {f["properties"]["hamlet"]: f for f in body["features"]}
    assert by_hamlet["Xóm Khe Cốc"]["properties"]["cases"] == 4
    assert by_hamlet["Xóm Gốc Lim"]["properties"]["cases"] is None
    assert by_hamlet["Xóm Gốc Lim"]["properties"]["cases_label"] == "< 3"
    assert by_hamlet["Xóm Khe Cốc"]["geometry"]["coordinates"] == [105.77, 21.71]  # the hamlet
    text = json.dumps(body, ensure_ascii=False)
    assert "105.7702" not in text and "21.7101" not in text  # never the household's point
    assert "Nguyễn Văn An" not in text and household.code not in text


def test_the_growing_areas_layer_is_empty_without_the_economy_query(commune, monkeypatch):
    monkeypatch.setitem(sys.modules, "langso.economy.queries", types.ModuleType("q"))
    assert growing_areas_geojson_or_empty(commune) == {"type": "FeatureCollection", "features": []}


def test_the_growing_areas_layer_shows_what_the_economy_query_returns(
    client, commune, layers, monkeypatch
):
    fake = types.ModuleType("langso.economy.queries")
    fake.growing_areas_geojson = lambda unit: {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [105.7, 21.7]},
                "properties": {"name": "Vùng chè VN-19-05641-001"},
            }
        ],
    }
    monkeypatch.setitem(sys.modules, "langso.economy.queries", fake)
    body = client.get(_layer_url("vung-trong", commune)).json()
    assert body["features"][0]["properties"]["name"] == "Vùng chè VN-19-05641-001"


def test_a_feature_with_latitude_and_longitude_swapped_is_rejected(layers):
    with pytest.raises(ValidationFailed):
        add_feature(
            actor=None,
            layer=layers["du-lich"],
            name="Sai",
            geometry={"type": "Point", "coordinates": [21.7, 105.7 + 100]},
        )
    assert not MapFeature.objects.exists()


def test_the_layer_list_respects_visibility(client, commune, layers, official):
    public = {
        row["slug"] for row in client.get(f"/api/society/layers?commune={commune.code}").json()
    }
    assert "du-lich" in public and "ho-gia-dinh" not in public
    client.force_login(official)
    mine = {row["slug"] for row in client.get("/api/society/layers").json()}
    assert "ho-gia-dinh" in mine


def test_an_unknown_layer_answers_like_a_hidden_one(client, commune, layers):
    response = client.get(_layer_url("khong-co", commune))
    assert response.status_code == 403


def test_the_households_layer_costs_the_same_queries_for_one_or_many_households(
    client, commune, layers, official, household, second_household, django_assert_max_num_queries
):
    from langso.society.actions.addresses import issue_addresses

    issue_addresses(actor=official, commune=commune)
    client.force_login(official)
    with django_assert_max_num_queries(12):
        body = client.get(_layer_url("ho-gia-dinh", commune)).json()
    assert len(body["features"]) == 2

from langso.society.actions.environment import create_station
from langso.society.models import StationKind


def test_an_official_sees_only_the_stations_of_their_commune_in_the_admin(
    client, official, other_commune, station
):
    create_station(
        actor=None,
        commune=other_commune,
        code="badinh-nuoc",
        name="Trạm Ba Đình",
        kind=StationKind.WATER_SUPPLY,
        latitude=21.03,
        longitude=105.83,
    )
    client.force_login(official)
    response = client.get("/admin/society/station/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Trạm cấp nước Khe Cốc" in text and "Trạm Ba Đình" not in text


def test_an_official_of_another_commune_cannot_open_the_station(client, other_official, station):
    client.force_login(other_official)
    assert client.get(f"/admin/society/station/{station.pk}/change/").status_code in (302, 403)


def test_an_official_adds_no_feature_in_the_admin_let_alone_to_another_communes_layer(
    client, official, other_commune, layers
):
    from langso.society.actions.maps import ensure_default_layers
    from langso.society.models import MapFeature

    foreign = ensure_default_layers(actor=None, commune=other_commune)[1]
    client.force_login(official)
    # features are added on the map pages (add_feature); the admin only shows them
    assert client.get("/admin/society/mapfeature/add/").status_code == 403
    response = client.post(
        "/admin/society/mapfeature/add/",
        {
            "layer": foreign.pk,
            "name": "Lạ",
            "description": "",
            "geometry": '{"type": "Point", "coordinates": [105.8, 21.0]}',
            "properties": "{}",
            "is_active": "on",
        },
    )
    assert response.status_code == 403
    assert not MapFeature.objects.filter(name="Lạ").exists()

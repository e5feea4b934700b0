from langso.society.actions.environment import create_station
from langso.society.models import StationKind


def test_an_official_sees_only_the_stations_of_their_commune_in_the_admin(
        client, official, other_commune, station):
    create_station(actor=None, commune=other_commune, code="badinh-nuoc", name="Trạm Ba Đình",
                   kind=StationKind.WATER_SUPPLY, latitude=21.03, longitude=105.83)
    client.force_login(official)
    response = client.get("/admin/society/station/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Trạm cấp nước Khe Cốc" in text and "Trạm Ba Đình" not in text


def test_an_official_of_another_commune_cannot_open_the_station(client, other_official,
                                                                 station):
    client.force_login(other_official)
    assert client.get(f"/admin/society/station/{station.pk}/change/").status_code in (302, 403)

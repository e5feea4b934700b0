import pytest
from django.urls import reverse

from langso.core.models import AuditEvent
from langso.society import addressing
from langso.society.actions.addresses import (
    issue_addresses,
    place_address_point,
    recode_after_unit_change,
)
from langso.society.exceptions import AddressCodeInvalid, NotAllowed
from langso.society.models import AddressAlias, DigitalAddress
from langso.society.queries.addresses import lookup_address, search_addresses


def test_a_placed_point_gets_a_code_of_the_commune_with_a_valid_check_character(
    official, household
):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    assert address.code.startswith("05641-")
    assert addressing.is_well_formed(address.code)
    assert address.olc == "7PH7PQ6C+23W"
    assert len(address.olc.replace("+", "")) == 11
    assert AuditEvent.objects.filter(object_type="society.DigitalAddress", action="create").exists()


def test_a_mistyped_code_is_caught_by_the_check_character(official, household):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    payload, check = address.code.rsplit("-", 1)
    wrong = payload[:-1] + ("3" if payload[-1] != "3" else "4") + "-" + check
    with pytest.raises(AddressCodeInvalid) as err:
        lookup_address(official, wrong)
    assert err.value.code == "society.address_code_invalid"


def test_correcting_the_point_keeps_the_code_and_updates_the_open_location_code(
    official, household
):
    first = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    moved = place_address_point(
        actor=official, household=household, latitude=21.7150, longitude=105.7750
    )
    assert moved.pk == first.pk and moved.code == first.code
    assert moved.olc != first.olc
    assert DigitalAddress.objects.count() == 1


def test_an_official_of_another_commune_cannot_place_a_household(other_official, household):
    with pytest.raises(NotAllowed) as err:
        place_address_point(
            actor=other_official, household=household, latitude=21.71, longitude=105.77
        )
    assert err.value.code == "society.not_allowed"
    assert not DigitalAddress.objects.exists()


def test_bulk_issue_gives_neighbours_in_the_same_cell_different_codes(
    official, commune, household, second_household
):
    second_household.latitude, second_household.longitude = household.latitude, household.longitude
    second_household.save(update_fields=["latitude", "longitude"])
    assert issue_addresses(actor=official, commune=commune) == 2
    codes = list(DigitalAddress.objects.values_list("code", flat=True))
    assert len(set(codes)) == 2
    assert codes[0][:12] == codes[1][:12]  # same commune and cell, different disambiguator
    assert issue_addresses(actor=official, commune=commune) == 0


def test_an_old_code_still_resolves_after_the_commune_is_merged(
    neighbour_commune, commune, hamlet, official, leader
):
    from conftest import make_user
    from langso.people.models import Household, Role

    neighbour_official = make_user("canbo.phuluong", Role.COMMUNE_OFFICIAL, neighbour_commune)
    hh = Household.objects.create(
        commune=neighbour_commune,
        province_code="19",
        code="05653-00001",
        latitude=21.69,
        longitude=105.75,
    )
    old = place_address_point(
        actor=neighbour_official, household=hh, latitude=21.69, longitude=105.75
    )
    old_code = old.code
    # The merger moves the household to Vô Tranh (people's side), then addresses follow.
    hh.commune = commune
    hh.hamlet = hamlet
    hh.save(update_fields=["commune", "hamlet"])
    from datetime import date

    assert (
        recode_after_unit_change(
            actor=official,
            old_commune=neighbour_commune,
            new_commune=commune,
            effective=date(2025, 7, 1),
        )
        == 1
    )
    address = DigitalAddress.objects.get(household=hh)
    assert address.code.startswith("05641-") and address.code != old_code
    assert AddressAlias.objects.get(code=old_code).address == address
    view = lookup_address(None, old_code)
    assert view.code == address.code and view.resolved_from == old_code


def test_the_api_resolves_an_old_code_to_the_new_one(
    client, commune, neighbour_commune, hamlet, official
):
    from datetime import date

    from conftest import make_user
    from langso.people.models import Household, Role

    other = make_user("canbo.phuluong", Role.COMMUNE_OFFICIAL, neighbour_commune)
    hh = Household.objects.create(
        commune=neighbour_commune,
        province_code="19",
        code="05653-00001",
        latitude=21.69,
        longitude=105.75,
    )
    old_code = place_address_point(actor=other, household=hh, latitude=21.69, longitude=105.75).code
    hh.commune = commune
    hh.save(update_fields=["commune"])
    recode_after_unit_change(
        actor=official,
        old_commune=neighbour_commune,
        new_commune=commune,
        effective=date(2025, 7, 1),
    )
    response = client.get(f"/api/society/addresses/{old_code}")
    assert response.status_code == 200
    body = response.json()
    assert body["resolved_from"] == old_code
    assert body["code"].startswith("05641-")
    assert body["head_of_household"] is None


def test_public_lookup_shows_hamlet_and_point_but_not_the_head_of_household(
    client, official, household
):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    body = client.get(f"/api/society/addresses/{address.code}").json()
    assert body["hamlet"] == "Xóm Khe Cốc"
    assert body["latitude"] == pytest.approx(21.7101)
    assert body["head_of_household"] is None
    assert "21.710100%2C105.770200" in body["directions_url"]
    client.force_login(official)
    assert (
        client.get(f"/api/society/addresses/{address.code}").json()["head_of_household"]
        == "Nguyễn Văn An"
    )


def test_search_by_name_finds_the_address_only_for_those_who_may_see_names(
    official, other_official, household, resident_user
):
    place_address_point(actor=official, household=household, latitude=21.7101, longitude=105.7702)
    # Nobody else can learn where a named person lives; the hamlet still finds it.
    assert search_addresses(None, "nguyen van an") == []
    assert search_addresses(other_official, "nguyen van an") == []
    public = search_addresses(None, "khe coc")
    assert len(public) == 1 and public[0].head_name is None
    assert search_addresses(official, "Nguyễn Văn An")[0].head_name == "Nguyễn Văn An"
    assert search_addresses(resident_user, "nguyen van an")[0].head_name == "Nguyễn Văn An"


def test_an_official_of_another_commune_does_not_see_names_in_lookups(
    official, other_official, household
):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    assert lookup_address(other_official, address.code).head_name is None


def test_lookup_page_lists_results_with_directions(client, official, household):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    response = client.get(reverse("society:address_lookup"), {"q": "khe coc"})
    assert response.status_code == 200
    text = response.content.decode()
    assert address.code in text and "Chỉ đường" in text
    assert "Nguyễn Văn An" not in text


def test_only_officials_are_offered_search_by_head_of_household(
    client, official, resident_user, household
):
    url = reverse("society:address_lookup")
    assert "tên chủ hộ" not in client.get(url).content.decode()
    assert "Mã địa chỉ số hoặc tên thôn, xóm" in client.get(url).content.decode()
    client.force_login(resident_user)
    assert "tên chủ hộ" not in client.get(url).content.decode()
    client.force_login(official)
    assert "tên chủ hộ" in client.get(url).content.decode()


def test_address_detail_page_shows_the_code_and_an_unknown_code_is_404(client, official, household):
    address = place_address_point(
        actor=official, household=household, latitude=21.7101, longitude=105.7702
    )
    response = client.get(reverse("society:address_detail", args=[address.code]))
    assert response.status_code == 200
    assert address.olc in response.content.decode()
    assert (
        client.get(reverse("society:address_detail", args=["05641-XXXXXX2-0"])).status_code == 404
    )


def test_the_placement_page_is_for_officials_of_the_commune(
    client, official, other_official, resident_user, household
):
    url = reverse("society:address_place", args=[household.pk])
    client.force_login(official)
    page = client.get(url)
    assert page.status_code == 200
    assert "society/place.js" in page.content.decode()
    response = client.post(url, {"latitude": "21.7111", "longitude": "105.7712"})
    assert response.status_code == 302
    assert DigitalAddress.objects.get(household=household).latitude == pytest.approx(21.7111)
    for user in (other_official, resident_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"latitude": "1", "longitude": "1"}).status_code == 403


def test_officials_find_households_without_an_address_and_a_link_to_place_them(
    client, official, household
):
    client.force_login(official)
    text = client.get(reverse("society:address_lookup"), {"q": "nguyen van an"}).content.decode()
    assert "Hộ chưa có địa chỉ số" in text
    assert reverse("society:address_place", args=[household.pk]) in text


def test_the_issue_button_gives_every_household_with_a_point_a_code(
    client, official, household, second_household
):
    client.force_login(official)
    response = client.post(reverse("society:address_issue"))
    assert response.status_code == 302
    assert DigitalAddress.objects.count() == 2


def test_a_resident_cannot_issue_codes(client, resident_user, household):
    client.force_login(resident_user)
    assert client.post(reverse("society:address_issue")).status_code == 403
    assert not DigitalAddress.objects.exists()

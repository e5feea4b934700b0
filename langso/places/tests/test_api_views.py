import pytest

from langso.places.models import Hamlet

pytestmark = pytest.mark.django_db


def test_unit_lookup_by_code(client, legacy_units):
    body = client.get("/api/places/units/2025/commune/05641").json()
    assert body["name"] == "Xã Vô Tranh" and body["full_name"] == "Xã Vô Tranh, Tỉnh Thái Nguyên"
    assert body["parent"] == {"key": "2025:province:19", "code": "19", "name": "Tỉnh Thái Nguyên"}
    legacy = client.get("/api/places/units/legacy/commune/05641").json()
    assert legacy["full_name"] == "Xã Tức Tranh, Huyện Phú Lương, Tỉnh Thái Nguyên"


@pytest.mark.parametrize(
    "path",
    [
        "/api/places/units/2025/commune/99999",
        "/api/places/units/1999/commune/05641",
        "/api/places/units/2025/hamlet/05641",
    ],
)
def test_unknown_unit_is_404_with_a_code(client, legacy_units, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["code"] == "core.not_found"


@pytest.mark.parametrize("q", ["tuc tranh", "Tức Tranh", "TUC TRANH"])
def test_search_by_name_with_or_without_diacritics(client, legacy_units, q):
    body = client.get("/api/places/units", {"q": q}).json()
    assert [u["key"] for u in body] == ["legacy:commune:05641"]


def test_search_filters_by_structure(client, legacy_units):
    body = client.get("/api/places/units", {"q": "05641", "structure": "2025"}).json()
    assert [u["name"] for u in body] == ["Xã Vô Tranh"]


def test_successors_and_predecessors(client, legacy_units):
    body = client.get("/api/places/units/legacy/commune/05641/successors").json()
    assert [(s["unit"]["name"], s["is_primary"]) for s in body] == [("Xã Vô Tranh", True)]
    body = client.get("/api/places/units/2025/commune/05641/predecessors").json()
    assert [s["unit"]["name"] for s in body] == ["Xã Phú Đô", "Xã Tức Tranh"]


def test_hamlets_of_a_commune_are_public(client, hamlet, commune):
    Hamlet.objects.create(commune=commune, code="05641-02", name="Xóm Gốc Lim")
    body = client.get("/api/places/communes/05641/hamlets").json()
    assert [h["name"] for h in body] == ["Xóm Gốc Lim", "Xóm Khe Cốc"]
    assert client.get("/api/places/communes/00000/hamlets").status_code == 404


def test_places_page_shows_the_old_to_new_mapping(
    client, legacy_units, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/places/", {"q": "tuc tranh"})
    text = response.content.decode()
    assert "Xã Tức Tranh, Huyện Phú Lương, Tỉnh Thái Nguyên" in text
    assert "→ Xã Vô Tranh, Tỉnh Thái Nguyên" in text


def test_places_page_lists_what_a_new_commune_was_formed_from(client, legacy_units):
    text = client.get("/places/", {"q": "vo tranh", "he": "2025"}).content.decode()
    assert "Hình thành từ: Xã Phú Đô, Huyện Phú Lương; Xã Tức Tranh, Huyện Phú Lương" in text


def test_places_page_says_when_nothing_matches(client, legacy_units):
    assert "Không tìm thấy đơn vị nào." in client.get("/places/", {"q": "xyz"}).content.decode()


def test_hamlet_admin_is_scoped_to_the_officials_commune(
    client, official, other_official, hamlet, other_commune
):
    other = Hamlet.objects.create(commune=other_commune, code="00004-01", name="Tổ 1 Phúc Xá")
    client.force_login(official)
    page = client.get("/admin/places/hamlet/").content.decode()
    assert "Xóm Khe Cốc" in page and "Phúc Xá" not in page
    assert client.get(f"/admin/places/hamlet/{other.pk}/change/").status_code == 302
    client.force_login(other_official)
    assert "Xóm Khe Cốc" not in client.get("/admin/places/hamlet/").content.decode()

import pytest
from django.db import transaction

from langso.places.loader import load_admin_units
from langso.places.models import AdminUnit, Level, Structure, UnitSuccession
from langso.places.queries import get_unit, predecessors_of, search_units, successors_of


@pytest.fixture(scope="module")
def national_units(django_db_setup, django_db_blocker):
    """The national units, loaded once for the module inside a transaction rolled back at its
    end: each test runs in a savepoint of it. (Deleting 14,000 units through the ORM, which
    visits every table that refers to a unit, took 44 s on PostgreSQL.)"""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_admin_units()
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_gives_the_official_counts_of_both_structures(national_units):
    assert national_units.provinces_2025 == 34
    assert national_units.communes_2025 == 3321
    assert national_units.provinces_legacy == 63
    assert national_units.districts_legacy == 696
    assert national_units.communes_legacy == 10035
    assert AdminUnit.objects.filter(structure=Structure.Y2025, level=Level.COMMUNE).count() == 3321


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_twice_changes_nothing(national_units):
    before = AdminUnit.objects.count(), UnitSuccession.objects.count()
    report = load_admin_units()
    assert report.created == 0 and report.updated == 0
    assert (AdminUnit.objects.count(), UnitSuccession.objects.count()) == before


@pytest.mark.slow
@pytest.mark.django_db
def test_tuc_tranh_maps_to_vo_tranh_of_thai_nguyen(national_units):
    tuc_tranh = search_units("Tức Tranh", structure=Structure.LEGACY, level=Level.COMMUNE)[0]
    assert tuc_tranh.name == "Xã Tức Tranh"
    assert tuc_tranh.parent.name == "Huyện Phú Lương"
    assert tuc_tranh.parent.parent.name == "Tỉnh Thái Nguyên"
    [successor] = successors_of(tuc_tranh)
    assert (successor.name, successor.code, successor.parent.name) == (
        "Xã Vô Tranh",
        "05641",
        "Tỉnh Thái Nguyên",
    )
    merged = {u.name for u in predecessors_of(get_unit("05641"))}
    assert {"Xã Tức Tranh", "Xã Vô Tranh", "Xã Phú Đô", "Xã Cổ Lũng"} <= merged


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("text", ["tuc tranh", "Tức Tranh", "TUC TRANH", "  tức   tranh "])
def test_search_finds_a_commune_with_or_without_diacritics(national_units, text):
    names = {u.name for u in search_units(text, structure=Structure.LEGACY)}
    assert names == {"Xã Tức Tranh"}

from datetime import date

import pytest

from conftest import make_user
from langso.people.models import Household, Relation, Resident, Role
from langso.society.actions.environment import create_station
from langso.society.actions.maps import ensure_default_layers
from langso.society.models import HealthRecord, StationKind


@pytest.fixture
def layers(commune):
    return {layer.slug: layer for layer in ensure_default_layers(actor=None, commune=commune)}


@pytest.fixture
def other_health_worker(other_commune):
    return make_user("yte.badinh", Role.HEALTH_WORKER, other_commune)


@pytest.fixture
def team_member(commune):
    return make_user("congnghe.votranh", Role.DIGITAL_TEAM_MEMBER, commune)


@pytest.fixture
def second_household(commune, hamlet):
    hh = Household.objects.create(
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        code="05641-00002",
        address_line="Xóm Khe Cốc, Xã Vô Tranh",
        latitude=21.7102,
        longitude=105.7703,
        search_key="05641-00002 xom khe coc do thi cuc",
    )
    head = Resident.objects.create(
        household=hh,
        commune=commune,
        province_code="19",
        full_name="Đỗ Thị Cúc",
        sex="F",
        date_of_birth=date(1990, 3, 3),
        relation_to_head=Relation.HEAD,
        search_key="do thi cuc",
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


@pytest.fixture
def station(commune):
    station, token = create_station(
        actor=None,
        commune=commune,
        code="votranh-nuoc-1",
        name="Trạm cấp nước Khe Cốc",
        kind=StationKind.WATER_SUPPLY,
        latitude=21.71,
        longitude=105.77,
    )
    station.plain_token = token
    return station


@pytest.fixture
def health_record(household):
    return HealthRecord.objects.create(
        resident=household.head, commune=household.commune, blood_group="O+"
    )

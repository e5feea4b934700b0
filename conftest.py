"""Fixtures shared by every app's tests: a small slice of real administrative units (two 2025
communes in two provinces, their legacy predecessors), hamlets, households, and users holding
each role. Apps add their own fixtures in langso/<app>/tests/conftest.py."""

from datetime import date

import pytest

from langso.people.models import Household, Relation, Resident, Role, RoleAssignment, User
from langso.places.models import AdminUnit, Hamlet, Level, Structure, UnitSuccession

# The headless Chromium fixtures (`browser`, `phone_browser`) for every app's browser tests.
pytest_plugins = ["langso.core.testing.browser"]

# Lines a test records with `record_property("figures", line)` (the API fuzz test's counts),
# gathered from every xdist worker and printed at the end of the run.
_FIGURES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _FIGURES.extend(str(value) for name, value in report.user_properties if name == "figures")


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


def pytest_configure(config):
    """xdist hands tests to a worker in chunks of up to a quarter of what is left; a worker
    busy with the slow tests then watched the other take the rest in big chunks, and stood
    idle for the last 90 s of a 290 s run while the other worked through its queue. Small
    chunks keep both busy to the end (`pytest -n 2 --maxschedchunk N` still wins)."""
    if getattr(config.option, "maxschedchunk", "absent") is None:
        config.option.maxschedchunk = 8


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """The tests that take seconds (marked `slow`, then the browser tests) run first in each
    of pytest-django's groups (database tests, then transactional ones, which empty the
    tables, then the rest). Sorted here before pytest-django's stable sort into its groups.

    xdist hands out tests in collection order as its workers ask for them: a long test
    taken last keeps one worker busy while the other waits (the PostgreSQL run once waited
    44 s on the teardown of the last test)."""

    def weight(item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=weight)  # stable: each weight keeps the collection order
    return (yield)


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The working-day calendar is cached per process; a Holiday row that a test created and
    its transaction rolled back must not move the next test's deadlines."""
    from langso.procedures.working_time import forget_calendar

    forget_calendar()
    yield
    forget_calendar()


def make_unit(structure, level, code, name, parent=None, province_code=None, **extra):
    short = name.split(" ", 1)[1] if " " in name else name
    from langso.core.text import fold

    return AdminUnit.objects.create(
        structure=structure,
        level=level,
        code=code,
        name=name,
        short_name=short,
        unit_type=name.split(" ", 1)[0],
        parent=parent,
        province_code=province_code or (parent.province_code if parent else code),
        search_key=fold(name),
        **extra,
    )


@pytest.fixture
def province(db):
    return make_unit(
        Structure.Y2025, Level.PROVINCE, "19", "Tỉnh Thái Nguyên", latitude=21.56, longitude=105.87
    )


@pytest.fixture
def commune(province):
    """Xã Vô Tranh (2025), the demo commune."""
    return make_unit(
        Structure.Y2025,
        Level.COMMUNE,
        "05641",
        "Xã Vô Tranh",
        province,
        latitude=21.7044,
        longitude=105.772,
    )


@pytest.fixture
def other_province(db):
    return make_unit(Structure.Y2025, Level.PROVINCE, "01", "Thành phố Hà Nội")


@pytest.fixture
def other_commune(other_province):
    """A commune of another province: its data must never leak to Vô Tranh's officials."""
    return make_unit(Structure.Y2025, Level.COMMUNE, "00004", "Phường Ba Đình", other_province)


@pytest.fixture
def neighbour_commune(province):
    """Another commune of the same province."""
    return make_unit(Structure.Y2025, Level.COMMUNE, "05653", "Xã Phú Lương", province)


@pytest.fixture
def legacy_units(commune):
    """Legacy Tức Tranh and Phú Đô (Huyện Phú Lương) merged into 2025 Vô Tranh."""
    lp = make_unit(Structure.LEGACY, Level.PROVINCE, "19", "Tỉnh Thái Nguyên")
    district = make_unit(Structure.LEGACY, Level.DISTRICT, "168", "Huyện Phú Lương", lp)
    tuc_tranh = make_unit(Structure.LEGACY, Level.COMMUNE, "05641", "Xã Tức Tranh", district)
    phu_do = make_unit(Structure.LEGACY, Level.COMMUNE, "05662", "Xã Phú Đô", district)
    for old in (tuc_tranh, phu_do):
        UnitSuccession.objects.create(legacy=old, successor=commune, is_primary=True)
    return {"province": lp, "district": district, "tuc_tranh": tuc_tranh, "phu_do": phu_do}


@pytest.fixture
def hamlet(commune):
    return Hamlet.objects.create(
        commune=commune,
        code="05641-01",
        name="Xóm Khe Cốc",
        search_key="xom khe coc",
        latitude=21.71,
        longitude=105.77,
    )


@pytest.fixture
def household(commune, hamlet):
    hh = Household.objects.create(
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        code="05641-00001",
        address_line="Xóm Khe Cốc, Xã Vô Tranh",
        latitude=21.7101,
        longitude=105.7702,
        search_key="05641-00001 xom khe coc nguyen van an",
    )
    head = Resident.objects.create(
        household=hh,
        commune=commune,
        province_code="19",
        full_name="Nguyễn Văn An",
        sex="M",
        date_of_birth=date(1980, 5, 17),
        citizen_id="019080012345",
        phone="0912345678",
        relation_to_head=Relation.HEAD,
        search_key="nguyen van an",
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


@pytest.fixture
def other_household(other_commune):
    hh = Household.objects.create(
        commune=other_commune,
        province_code="01",
        code="00004-00001",
        address_line="Phố Phúc Xá",
        search_key="00004-00001",
    )
    head = Resident.objects.create(
        household=hh,
        commune=other_commune,
        province_code="01",
        full_name="Trần Thị Bình",
        sex="F",
        date_of_birth=date(1975, 1, 2),
        citizen_id="001175054321",
        relation_to_head=Relation.HEAD,
        search_key="tran thi binh",
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


def make_user(username: str, role: str | None = None, unit=None, **extra) -> User:
    household = extra.pop("household", None)
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit, household=household)
    return user


@pytest.fixture
def official(commune):
    return make_user("canbo.votranh", Role.COMMUNE_OFFICIAL, commune, is_staff=True)


@pytest.fixture
def leader(commune):
    return make_user("chutich.votranh", Role.COMMUNE_LEADER, commune, is_staff=True)


@pytest.fixture
def health_worker(commune):
    return make_user("yte.votranh", Role.HEALTH_WORKER, commune)


@pytest.fixture
def other_official(other_commune):
    return make_user("canbo.badinh", Role.COMMUNE_OFFICIAL, other_commune, is_staff=True)


@pytest.fixture
def province_officer(province):
    return make_user("tinh.thainguyen", Role.PROVINCE_OFFICER, province, is_staff=True)


@pytest.fixture
def resident_user(household):
    user = User.objects.create_user(username="nguoidan.an", password="pw-nguoidan")
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, unit=household.commune, household=household
    )
    head = household.head
    head.user = user
    head.save(update_fields=["user"])
    return user

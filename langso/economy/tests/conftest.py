from datetime import date
from decimal import Decimal

import pytest

from conftest import make_user
from langso.economy.models import Producer, ProducerKind, ProducerMember, Product
from langso.economy.ocop_rules import load_criteria
from langso.people.models import Role


@pytest.fixture(autouse=True)
def _fresh_market_cache():
    """The market listing is cached per process; a page cached in another test (whose rows
    were rolled back, their ids reused) must not answer this one."""
    from langso.economy.market_cache import bump_market_version

    bump_market_version()


@pytest.fixture
def criteria(db):
    load_criteria()


def _producer(commune, name, kind=ProducerKind.COOPERATIVE):
    from langso.core.text import fold

    return Producer.objects.create(
        kind=kind,
        name=name,
        commune=commune,
        province_code=commune.province_code,
        search_key=fold(name),
    )


@pytest.fixture
def coop(commune):
    return _producer(commune, "HTX Chè Tức Tranh")


@pytest.fixture
def other_coop(commune):
    return _producer(commune, "HTX Chè Phú Đô")


@pytest.fixture
def far_coop(other_commune):
    return _producer(other_commune, "HTX Rau Ba Đình")


@pytest.fixture
def manager(coop, commune):
    user = make_user("sanxuat.tuctranh", Role.PRODUCER, commune)
    ProducerMember.objects.create(
        producer=coop, user=user, name="Chủ nhiệm", member_role=ProducerMember.MemberRole.MANAGER
    )
    return user


@pytest.fixture
def buyer(db):
    return make_user("muahang.hanoi")


@pytest.fixture
def evaluator(province):
    return make_user("ocop.thainguyen", Role.OCOP_EVALUATOR, province)


@pytest.fixture
def other_evaluator(other_province):
    return make_user("ocop.hanoi", Role.OCOP_EVALUATOR, other_province)


@pytest.fixture
def tea(coop):
    from langso.core.text import fold

    return Product.objects.create(
        producer=coop,
        name="Chè búp Tức Tranh",
        ocop_group="food",
        ocop_subgroup="food.tea",
        unit="hộp 200 g",
        price=Decimal(120000),
        search_key=fold("Chè búp Tức Tranh"),
    )


@pytest.fixture
def far_product(far_coop):
    return Product.objects.create(producer=far_coop, name="Rau cải Ba Đình", search_key="rau cai")


def full_scores(criteria_set, total: Decimal) -> dict[str, str]:
    """Scores for every criterion adding up to `total` (filled in sheet order)."""
    remaining = Decimal(total)
    out = {}
    for c in criteria_set.criteria.order_by("position"):
        give = min(c.max_points, remaining)
        out[c.code] = str(give)
        remaining -= give
    assert remaining == 0
    return out


FILED_2025 = date(2025, 9, 1)

from datetime import date
from decimal import Decimal

from django.utils import timezone

from langso.economy import queries
from langso.economy.models import (
    BankAccount,
    Certificate,
    GrowingArea,
    Producer,
    ProducerKind,
    ProductionLinkage,
)


def _cert(
    producer,
    kind="vietgap",
    star=None,
    valid_from=date(2025, 1, 1),
    valid_to=date(2027, 12, 31),
    revoked_at=None,
    product=None,
):
    return Certificate.objects.create(
        producer=producer,
        kind=kind,
        number=f"{kind}-{star}",
        issuer="X",
        valid_from=valid_from,
        valid_to=valid_to,
        revoked_at=revoked_at,
        star=star,
        product=product,
    )


def test_valid_certificates_excludes_expired_revoked_and_future(coop):
    ok = _cert(coop)
    _cert(coop, valid_to=date(2025, 5, 31))
    _cert(coop, revoked_at=date(2025, 6, 1))
    _cert(coop, valid_from=date(2025, 7, 1))
    revoked_later = _cert(coop, revoked_at=date(2025, 6, 2))
    assert set(queries.valid_certificates(on=date(2025, 6, 1))) == {ok, revoked_later}


def test_certificate_valid_on_its_last_day_and_not_the_next(coop):
    cert = _cert(coop, valid_to=date(2025, 6, 30))
    assert list(queries.valid_certificates(on=date(2025, 6, 30))) == [cert]
    assert list(queries.valid_certificates(on=date(2025, 7, 1))) == []
    assert queries.certificate_status(cert, date(2025, 7, 1)) == "expired"


def test_figures_count_per_commune(coop, other_coop, far_coop, commune, other_commune, tea):
    today = timezone.localdate()
    later = today.replace(year=today.year + 3)
    _cert(coop, "ocop", 4, product=tea, valid_from=today, valid_to=later)
    _cert(coop, "ocop", 3, valid_from=today, valid_to=later)
    _cert(coop, "ocop", 5, valid_to=date(2020, 1, 1), valid_from=date(2019, 1, 1))
    _cert(far_coop, "vietgap", valid_from=today, valid_to=today.replace(year=today.year + 1))
    hkd = Producer.objects.create(
        kind=ProducerKind.HOUSEHOLD_BUSINESS, name="Hộ A", commune=commune, province_code="19"
    )
    BankAccount.objects.create(
        producer=hkd, bank_bin="970405", account_number="1", account_name="A"
    )
    ProductionLinkage.objects.create(
        name="L1",
        commune=commune,
        province_code="19",
        buyer=coop,
        started_on=date(2024, 1, 1),
        uses_digital_technology=True,
    )
    ProductionLinkage.objects.create(
        name="L2", commune=commune, province_code="19", buyer=coop, started_on=date(2024, 1, 1)
    )
    ProductionLinkage.objects.create(
        name="ended",
        commune=commune,
        province_code="19",
        buyer=coop,
        started_on=date(2020, 1, 1),
        ended_on=date(2021, 1, 1),
    )
    out = queries.monitoring_figures(
        unit_ids=[commune.pk, other_commune.pk],
        period_start=date(today.year, 1, 1),
        period_end=today,
    )
    mine, far = out[commune.pk], out[other_commune.pk]
    assert mine["economy.cooperatives"].numerator == 2
    has = mine["economy.has_cooperative"]
    assert (has.numerator, has.denominator) == (1, 1)
    assert [mine[f"economy.ocop_{s}star"].numerator for s in (3, 4, 5)] == [1, 1, 0]
    assert mine["economy.valid_certificates"].numerator == 2
    assert mine["economy.linkage_models"].numerator == 2
    rate = mine["economy.linkage_digital_rate"]
    assert (rate.numerator, rate.denominator) == (1, 2)
    qr = mine["economy.household_business_qr_rate"]
    assert (qr.numerator, qr.denominator) == (1, 3)
    assert far["economy.valid_certificates"].numerator == 1
    assert far["economy.linkage_digital_rate"].value is None
    assert set(queries.FIGURE_DEFINITIONS) == set(mine)


def test_commune_without_cooperative_gets_zero_of_one(neighbour_commune):
    out = queries.monitoring_figures(
        unit_ids=[neighbour_commune.pk],
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    fig = out[neighbour_commune.pk]["economy.has_cooperative"]
    assert (fig.numerator, fig.denominator) == (0, 1)


def test_growing_areas_geojson_has_points_and_polygons_with_valid_certificates(coop, commune):
    point = GrowingArea.objects.create(
        name="Vùng A",
        commune=commune,
        province_code="19",
        crop="Chè",
        latitude=21.70,
        longitude=105.77,
        code="VN-19-168-05641-01-22",
    )
    polygon = {
        "type": "Polygon",
        "coordinates": [[[105.77, 21.70], [105.78, 21.70], [105.78, 21.71], [105.77, 21.70]]],
    }
    GrowingArea.objects.create(
        name="Vùng B",
        commune=commune,
        province_code="19",
        crop="Chè",
        boundary=polygon,
        area_ha=Decimal("3.5"),
    )
    GrowingArea.objects.create(name="Không toạ độ", commune=commune, province_code="19", crop="X")
    today = timezone.localdate()
    Certificate.objects.create(
        producer=coop,
        growing_area=point,
        kind="vietgap",
        number="1",
        issuer="X",
        valid_from=today,
        valid_to=today,
    )
    Certificate.objects.create(
        producer=coop,
        growing_area=point,
        kind="organic",
        number="2",
        issuer="X",
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    fc = queries.growing_areas_geojson(commune)
    assert fc["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in fc["features"]}
    assert set(by_name) == {"Vùng A", "Vùng B"}
    assert by_name["Vùng A"]["geometry"] == {"type": "Point", "coordinates": [105.77, 21.70]}
    assert by_name["Vùng A"]["properties"]["certificates"] == ["vietgap"]
    assert by_name["Vùng A"]["properties"]["code"] == "VN-19-168-05641-01-22"
    assert by_name["Vùng B"]["geometry"]["type"] == "Polygon"


def test_market_search_without_diacritics_and_filters(tea, other_coop, commune):
    from langso.economy.models import Product

    Product.objects.create(
        producer=other_coop, name="Mật ong rừng", search_key="mat ong rung", ocop_group="food"
    )
    today = timezone.localdate()
    _cert(tea.producer, "ocop", 4, product=tea, valid_from=today, valid_to=today)
    assert [p.name for p in queries.market_products(commune=commune, q="che tuc tranh")] == [
        "Chè búp Tức Tranh"
    ]
    assert [p.name for p in queries.market_products(commune=commune, q="Chè búp")] == [
        "Chè búp Tức Tranh"
    ]
    assert [p.ocop_star for p in queries.market_products(commune=commune, stars=4)] == [4]
    assert queries.market_products(commune=commune, stars=5).count() == 0
    assert queries.market_products(commune=commune, certificate="ocop").count() == 1
    assert queries.market_products(commune=commune).count() == 2


def test_traceability_url_is_none_without_a_trace_batch(tea):
    assert queries.traceability_url(tea) is None

from decimal import Decimal

import pytest

from conftest import make_unit
from langso.monitor.evaluation import evaluate, threshold_for
from langso.monitor.models import Indicator, Scheme, Status, Threshold, UnitClassification
from langso.places.models import Level, Structure

D = Decimal


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("60.00", Status.MET),
        ("59.99", Status.BASICALLY_MET),
        ("55.00", Status.BASICALLY_MET),
        ("54.99", Status.NOT_MET),
        (None, Status.NO_DATA),
    ],
)
def test_at_least_threshold_has_three_states_at_each_boundary(catalogue, value, status):
    ind = Indicator.objects.get(code="CDS924.CQS.1")  # >= 60 %, basically met within 5 points
    t = Threshold.objects.get(indicator=ind, province_code="")
    assert evaluate(ind, D(value) if value else None, t) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("6.00", Status.MET),
        ("6.01", Status.BASICALLY_MET),
        ("7.00", Status.BASICALLY_MET),
        ("7.01", Status.NOT_MET),
    ],
)
def test_at_most_threshold_counts_the_band_upwards(catalogue, value, status):
    ind = Indicator.objects.get(code="NTM21.11")  # poverty rate <= 6 % (north), band 1 point
    t = Threshold.objects.get(indicator=ind, classification="tdmnpb")
    assert evaluate(ind, D(value), t) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("100", Status.MET),
        ("99.99", Status.BASICALLY_MET),
        ("90", Status.BASICALLY_MET),
        ("89.99", Status.NOT_MET),
    ],
)
def test_an_explicit_basically_met_rule_beats_the_band(catalogue, value, status):
    ind = Indicator.objects.get(code="CDS924.CQS.2")  # 100 %, basically met from 90 %
    t = Threshold.objects.get(indicator=ind)
    assert evaluate(ind, D(value), t) == status


def test_yes_no_indicator_has_no_basically_met(catalogue):
    ind = Indicator.objects.get(code="NTM21.8.3")
    t = Threshold.objects.get(indicator=ind)
    assert evaluate(ind, D(1), t) == Status.MET
    assert evaluate(ind, D(0), t) == Status.NOT_MET


def test_income_threshold_follows_the_region_and_the_year(catalogue, classified, province):
    ind = Indicator.objects.get(code="NTM21.10")
    assert threshold_for(ind, classified, 2022).value == 36
    assert threshold_for(ind, classified, 2025).value == 45
    delta = make_unit(Structure.Y2025, Level.PROVINCE, "33", "Tỉnh Hưng Yên")
    hy = make_unit(Structure.Y2025, Level.COMMUNE, "12001", "Xã Thử", delta)
    UnitClassification.objects.create(
        unit=hy, scheme=Scheme.REGION, value="dbsh", year_from=2021, year_to=2025
    )
    assert threshold_for(ind, hy, 2025).value == 67


def test_2026_thresholds_follow_the_commune_group(catalogue, classified, neighbour_commune):
    ind = Indicator.objects.get(code="NTM26.9.1")
    assert threshold_for(ind, classified, 2026).value == 60  # group 3
    UnitClassification.objects.create(
        unit=neighbour_commune, scheme=Scheme.GROUP, value="1", year_from=2026, year_to=2030
    )
    assert threshold_for(ind, neighbour_commune, 2026).value == 80
    assert threshold_for(ind, classified, 2025) is None  # set not in force


def test_unclassified_unit_gets_no_region_threshold(catalogue, other_commune):
    ind = Indicator.objects.get(code="NTM21.10")
    assert threshold_for(ind, other_commune, 2025) is None


def test_province_override_beats_the_national_threshold(catalogue, commune, other_commune):
    ind = Indicator.objects.get(code="CDS924.CQS.3")
    Threshold.objects.create(
        indicator=ind, year_from=2024, year_to=2025, province_code="19", value=D(99)
    )
    assert threshold_for(ind, commune, 2025).value == 99
    assert threshold_for(ind, commune, 2023).value == 97  # override not yet in force
    assert threshold_for(ind, other_commune, 2025).value == 100  # Hà Nội's plan

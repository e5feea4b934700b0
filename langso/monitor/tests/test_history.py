"""Two legacy communes (Tức Tranh, Phú Đô) merged into Vô Tranh on 1 July 2025."""

from decimal import Decimal

from django.utils import timezone

from langso.monitor.evaluation import figure_value
from langso.monitor.models import Indicator, IndicatorValue, Source, Status
from langso.monitor.queries import shown_values


def put(unit, code, year, num, den=None):
    ind = Indicator.objects.get(code=code)
    return IndicatorValue.objects.create(
        unit=unit,
        indicator=ind,
        year=year,
        numerator=num,
        denominator=den,
        value=figure_value(ind, num, den),
        source=Source.COMPUTED,
        computed_at=timezone.now(),
    )


def shown(unit, code, year):
    ind = Indicator.objects.select_related("criterion__criteria_set").get(code=code)
    return shown_values(unit, [ind], [year])[(ind.pk, year)]


def test_counts_are_summed_onto_the_new_commune(catalogue, classified, legacy_units):
    put(legacy_units["tuc_tranh"], "NTM21.13.2", 2024, 2)  # rule: sum
    put(legacy_units["phu_do"], "NTM21.13.2", 2024, 1)
    s = shown(classified, "NTM21.13.2", 2024)
    assert (s.carried, s.rule, s.value, s.status) == (True, "sum", Decimal("3.00"), Status.MET)
    assert {u.name for u, _ in s.sources} == {"Xã Tức Tranh", "Xã Phú Đô"}


def test_rates_are_recomputed_from_numerators_and_denominators(catalogue, classified, legacy_units):
    put(legacy_units["tuc_tranh"], "CDS924.CQS.1", 2024, 90, 100)  # rule: recompute
    put(legacy_units["phu_do"], "CDS924.CQS.1", 2024, 5, 50)
    s = shown(classified, "CDS924.CQS.1", 2024)
    # (90 + 5) / 150 = 63.33 % (the mean of 90 % and 10 % would say 50 %, not met)
    assert (s.numerator, s.denominator, s.value, s.status) == (
        95,
        150,
        Decimal("63.33"),
        Status.MET,
    )


def test_met_or_not_is_reassessed_against_the_new_units_threshold(
    catalogue, classified, legacy_units
):
    put(legacy_units["tuc_tranh"], "NTM21.8.4", 2024, 95, 100)  # rule: reassess, >= 90 %
    put(legacy_units["phu_do"], "NTM21.8.4", 2024, 30, 50)
    s = shown(classified, "NTM21.8.4", 2024)
    assert (s.value, s.status) == (Decimal("83.33"), Status.NOT_MET)
    # a yes/no judged on each old commune cannot be combined: it needs re-assessment
    put(legacy_units["tuc_tranh"], "NTM21.8.3", 2024, 1)
    put(legacy_units["phu_do"], "NTM21.8.3", 2024, 1)
    assert shown(classified, "NTM21.8.3", 2024).status == Status.NEEDS_REASSESSMENT


def test_legacy_values_stay_on_the_legacy_units(catalogue, classified, legacy_units):
    row = put(legacy_units["tuc_tranh"], "CDS924.CQS.1", 2024, 90, 100)
    shown(classified, "CDS924.CQS.1", 2024)
    assert IndicatorValue.objects.get().unit == legacy_units["tuc_tranh"] == row.unit
    assert not IndicatorValue.objects.filter(unit=classified).exists()


def test_own_value_wins_over_carried_history(catalogue, classified, legacy_units):
    put(legacy_units["tuc_tranh"], "CDS924.CQS.1", 2025, 10, 100)
    put(classified, "CDS924.CQS.1", 2025, 70, 100)
    s = shown(classified, "CDS924.CQS.1", 2025)
    assert (s.carried, s.value) == (False, Decimal("70.00"))

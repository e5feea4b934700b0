from datetime import date
from decimal import Decimal

from django.utils import timezone

from langso.monitor.models import Indicator, IndicatorValue, Source, Target
from langso.monitor.queries import target_progress
from langso.monitor.queries.targets import linear_forecast

D = Decimal


def test_linear_forecast_reads_the_trend_at_the_deadline():
    assert linear_forecast([(2022, D(30)), (2023, D(40)), (2024, D(50))], 2025) == D("60.00")
    assert linear_forecast([(2024, D(50))], 2025) is None


def make_values(unit, code, pairs):
    ind = Indicator.objects.get(code=code)
    for year, v in pairs:
        IndicatorValue.objects.create(
            unit=unit,
            indicator=ind,
            year=year,
            value=v,
            numerator=v,
            denominator=100,
            source=Source.DERIVED,
            computed_at=timezone.now(),
        )


def test_target_progress_and_forecast_for_a_province(catalogue, province):
    target = Target.objects.get(code="924-xa-8-4-2025")  # national: >= 97 % of communes
    make_values(province, "CDS924.CQS.3", [(2022, 70), (2023, 80), (2024, 90)])
    p = target_progress(target, province)
    assert (p.current, p.current_year, p.forecast) == (D(90), 2024, D("100.00"))
    assert (p.reached, p.on_track, p.percent) == (False, True, 92)


def test_target_off_track_when_the_line_falls_short(catalogue, province):
    target = Target.objects.get(code="924-htx-2025")  # >= 70 %
    make_values(province, "CDS924.KTS.2", [(2023, 40), (2024, 45)])
    p = target_progress(target, province)
    assert (p.forecast, p.on_track, p.reached) == (D("50.00"), False, False)


def test_a_target_is_data_with_its_own_scope_and_deadline(catalogue, province):
    t = Target.objects.create(
        code="t",
        name="Thử",
        decision="KH 1",
        scope_unit=province,
        indicator=Indicator.objects.get(code="CDS924.CQS.1"),
        comparator=">=",
        value=D(60),
        value_kind="percent",
        deadline=date(2025, 12, 31),
    )
    make_values(province, "CDS924.CQS.1", [(2025, 61)])
    p = target_progress(t, None)
    assert (p.unit, p.reached, p.percent, p.on_track) == (province, True, 100, None)

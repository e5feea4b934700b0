import pytest

from langso.monitor.catalogue import load_catalogue
from langso.monitor.models import Scheme, UnitClassification
from langso.monitor.tests import fake_figures


@pytest.fixture(autouse=True)
def fake_providers(settings):
    settings.LANGSO_FIGURE_PROVIDERS = ["langso.monitor.tests.fake_figures"]
    fake_figures.FIGURES.clear()
    fake_figures.CALLS.clear()
    yield fake_figures.FIGURES


@pytest.fixture
def catalogue(db, province):
    return load_catalogue()


@pytest.fixture
def classified(province, commune):
    """Thái Nguyên: northern midlands and mountains (2021-2025); Vô Tranh in group 3 (2026+)."""
    UnitClassification.objects.create(
        unit=province, scheme=Scheme.REGION, value="tdmnpb", year_from=2021, year_to=2025
    )
    UnitClassification.objects.create(
        unit=commune, scheme=Scheme.GROUP, value="3", year_from=2026, year_to=2030
    )
    return commune


def meet_criteria(unit, criteria_set, year, *, except_numbers=()):
    """Store a 'met' value for every indicator of `criteria_set` (except those of the
    criteria numbered in `except_numbers`, left without data) for `unit` in `year`."""
    from django.utils import timezone

    from langso.monitor.models import Indicator, IndicatorValue, Status

    for ind in Indicator.objects.filter(criterion__criteria_set=criteria_set):
        if ind.criterion.number in except_numbers:
            continue
        good = 0 if ind.comparator == "<=" else 100
        IndicatorValue.objects.update_or_create(
            unit=unit,
            indicator=ind,
            year=year,
            defaults={
                "numerator": good,
                "value": good,
                "status": Status.MET,
                "threshold": 1,
                "source": ind.source,
                "computed_at": timezone.now(),
            },
        )


def good_figures(**overrides):
    """Figures that meet every computed indicator of the 2026-2030 set (group 3)."""
    from langso.core.figures import Figure

    rates = [
        "economy.household_business_qr_rate",
        "society.health_record_coverage",
        "society.water_within_limits_rate",
        "society.address_coverage",
        "documents.signed_rate",
        "society.officials_trained_rate",
        "procedures.online_rate",
        "procedures.on_time_rate",
        "procedures.satisfaction_rate",
        "engage.feedback_on_time_rate",
        "engage.collects_satisfaction_online",
    ]
    figures = {code: Figure(100, 100) for code in rates}
    figures["economy.has_cooperative"] = Figure(1)
    figures["trace.products_traceable"] = Figure(2)
    figures["engage.collects_satisfaction_online"] = Figure(1)
    figures.update(overrides)
    return figures

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

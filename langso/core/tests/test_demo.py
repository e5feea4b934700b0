from io import StringIO

import pytest
from django.core.management import call_command

from langso.core.models import DemoRun
from langso.people.models import Household, Resident, RoleAssignment, User


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_prepares_vo_tranh_once_and_reuses_it_on_the_second_run(monkeypatch):
    from django.conf import settings

    monkeypatch.delenv("LANGSO_PUBLIC_URL", raising=False)
    out = StringIO()
    call_command("demo", "--no-serve", "--households", "40", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "Xã Vô Tranh" in text
    # the printed QR links open the demo's own port, and the setting is not left changed
    # ... and they are real GS1 Digital Links: the demo's products have GTINs (893 prefix)
    assert "  Lô MC" in text and ": http://127.0.0.1:8123/01/0893" in text
    assert "/t/" not in text.split("Tem in:")[0]
    assert ":8123" not in settings.LANGSO_PUBLIC_URL
    assert "chutich.votranh" in text and "langso-demo" in text
    households = Household.objects.filter(commune__code="05641", commune__structure="2025")
    assert households.count() == 40
    residents = Resident.objects.count()
    assert residents >= 40
    heads = Resident.objects.filter(relation_to_head="head").count()
    assert heads == 40
    assert {"chutich.votranh", "tinh.thainguyen", "nguoidan.votranh", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert RoleAssignment.objects.filter(
        user__username="tinh.thainguyen", unit__level="province", unit__code="19"
    ).exists()
    loaded = set(DemoRun.objects.values_list("app", flat=True))

    again = StringIO()
    call_command("demo", "--no-serve", "--households", "40", stdout=again)
    assert "Đang tạo" not in again.getvalue()
    assert Household.objects.count() == 40 and Resident.objects.count() == residents
    assert set(DemoRun.objects.values_list("app", flat=True)) == loaded


@pytest.mark.django_db
def test_demo_population_is_deterministic_for_a_seed(commune):
    from langso.people.demo import populate_commune

    populate_commune(commune, households=5, seed=7)
    first = list(Resident.objects.order_by("id").values_list("full_name", "citizen_id"))
    Resident.objects.all().delete()
    Household.objects.all().delete()
    populate_commune(commune, households=5, seed=7)
    assert list(Resident.objects.order_by("id").values_list("full_name", "citizen_id")) == first

import io
from datetime import date

from django.urls import reverse
from django.utils import timezone

from langso.economy.demo import load_demo
from langso.economy.models import (
    Certificate,
    OcopDossier,
    Producer,
    ProducerKind,
    ProducerMember,
    ProductionLinkage,
)
from langso.economy.queries import expiring_ocop_certificates, monitoring_figures


def test_demo_builds_the_tea_economy(
    commune, province, household, official, evaluator, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    load_demo(commune=commune, province=province, seed=2025, stdout=io.StringIO())
    assert Producer.objects.filter(kind=ProducerKind.COOPERATIVE).count() == 8
    groups = Certificate.objects.filter(producer__kind=ProducerKind.COOPERATIVE_GROUP)
    assert groups.filter(kind="vietgap").count() == 16
    assert groups.filter(kind="organic").count() == 2
    scored = OcopDossier.objects.filter(evaluations__isnull=False, status="rated").distinct()
    assert scored.count() >= 7
    ocop = Certificate.objects.filter(kind="ocop", dossier__filed_on__gte=date(2025, 7, 6))
    assert ocop.count() == 7 and set(ocop.values_list("issuing_level", flat=True)) == {"province"}
    assert expiring_ocop_certificates().count() == 1
    manager = ProducerMember.objects.get(user__username="sanxuat.votranh")
    assert (manager.member_role, manager.producer.name) == ("manager", "HTX Chè Tức Tranh")
    assert manager.user.check_password("langso-demo")
    assert manager.user.roles.filter(role="producer", unit=commune).exists()
    assert ProductionLinkage.objects.filter(uses_digital_technology=True).exists()
    names = list(
        ProducerMember.objects.filter(
            member_role="member", producer__kind="cooperative"
        ).values_list("name", flat=True)
    )
    assert len(names) >= 8 * 7
    assert not [n for n in names if n.startswith("Thành viên") or any(c.isdigit() for c in n)]
    assert all(len(n.split()) >= 3 for n in names)  # "Nguyễn Văn An": family, middle, given
    assert len(set(names)) > len(names) * 0.8
    today = timezone.localdate()
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=today.replace(month=1, day=1), period_end=today
    )[commune.pk]
    assert figures["economy.cooperatives"].numerator == 8
    assert figures["economy.ocop_4star"].numerator + figures["economy.ocop_3star"].numerator == 8


def test_admin_shows_an_official_only_their_communes_producers(client, official, coop, far_coop):
    client.force_login(official)
    text = client.get(reverse("admin:economy_producer_changelist")).content.decode()
    assert "HTX Chè Tức Tranh" in text and "HTX Rau Ba Đình" not in text
    url = reverse("admin:economy_producer_change", args=[far_coop.pk])
    assert client.get(url).status_code in (302, 403, 404)


def test_admin_product_list_is_scoped_through_the_producer(client, other_official, tea):
    client.force_login(other_official)
    text = client.get(reverse("admin:economy_product_changelist")).content.decode()
    assert "Chè búp Tức Tranh" not in text

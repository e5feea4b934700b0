"""Engagement benchmark: announcement fan-out and delivery through the fake gateways,
survey answering and results, monitoring figures. Prints figures; asserts nothing.

    python bench/engage_delivery.py [--subscribers 2000] [--responses 1000]
    DATABASE_URL=postgres://... python bench/engage_delivery.py   (uses a test database)
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=1000)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from langso.engage import actions, delivery, queries
    from langso.engage.channels import fake, fake_gateways
    from langso.engage.models import Delivery, DeliveryState, Subscription
    from langso.people.models import Household, Resident, Role, RoleAssignment, User
    from langso.places.models import AdminUnit, Hamlet

    province = AdminUnit.objects.create(
        structure="2025",
        level="province",
        code="19",
        name="Tỉnh Thái Nguyên",
        short_name="Thái Nguyên",
        unit_type="Tỉnh",
        province_code="19",
        search_key="",
    )
    commune = AdminUnit.objects.create(
        structure="2025",
        level="commune",
        code="05641",
        name="Xã Vô Tranh",
        short_name="Vô Tranh",
        unit_type="Xã",
        parent=province,
        province_code="19",
        search_key="",
    )
    hamlet = Hamlet.objects.create(commune=commune, code="05641-01", name="Xóm Khe Cốc")
    official = User.objects.create(username="canbo")
    RoleAssignment.objects.create(user=official, role=Role.COMMUNE_OFFICIAL, unit=commune)
    n = args.subscribers
    households = Household.objects.bulk_create(
        [
            Household(commune=commune, province_code="19", hamlet=hamlet, code=f"H{i:06d}")
            for i in range(n)
        ]
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(
                household=h,
                commune=commune,
                province_code="19",
                full_name=f"Dân {i}",
                sex="M",
                date_of_birth=date(1980, 1, 1),
                phone=f"09{i:08d}",
            )
            for i, h in enumerate(households)
        ]
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                resident=r,
                commune=commune,
                phone=r.phone,
                email=f"d{i}@example.vn",
                by_sms=True,
                by_zalo=i % 2 == 0,
                by_email=i % 4 == 0,
                consent_at=now,
            )
            for i, r in enumerate(residents)
        ]
    )

    t0 = time.perf_counter()
    item = actions.create_announcement(
        actor=official,
        commune=commune,
        title="Họp dân",
        body="Họp dân toàn xã sáng Chủ nhật.",
        dispatch=False,
    )
    ids = list(Delivery.objects.filter(announcement=item).values_list("pk", flat=True))
    t_publish = time.perf_counter() - t0
    fake.failures["sms"] = len(ids) // 50  # 2 % of calls fail once
    t0 = time.perf_counter()
    with fake_gateways():
        for delivery_id in ids:
            delivery.deliver(delivery_id)
        t_deliver = time.perf_counter() - t0
        t0 = time.perf_counter()
        later = timezone.now() + timezone.timedelta(minutes=5)
        retried = 0
        for delivery_id in Delivery.objects.filter(state=DeliveryState.RETRYING).values_list(
            "pk", flat=True
        ):
            delivery.retry(delivery_id, now=later)
            retried += 1
        t_retry = time.perf_counter() - t0
    duplicates = len(fake.outbox) - len({(c, a, m.reference) for c, a, m in fake.outbox})
    states = dict(
        Delivery.objects.values_list("state")
        .annotate(c=django.db.models.Count("id"))
        .values_list("state", "c")
    )
    print(f"database: {connection.vendor}")
    print(f"publish + queue {len(ids)} deliveries ({n} subscribers): {t_publish:.2f} s")
    print(
        f"deliver {len(ids)} through fake gateways: {t_deliver:.2f} s "
        f"({len(ids) / t_deliver:.0f} per s)"
    )
    print(f"retry {retried} failed: {t_retry:.2f} s; states {states}; duplicates {duplicates}")

    t0 = time.perf_counter()
    survey = actions.install_satisfaction_survey(actor=official, commune=commune)
    t_install = time.perf_counter() - t0
    users = User.objects.bulk_create([User(username=f"u{i}") for i in range(args.responses)])
    users = list(User.objects.filter(username__startswith="u").order_by("pk"))
    raw = {
        "thon": "05641_01",
        "do_tuoi": "tu_30_44",
        "hai_long_chung": "4",
        "ha_tang": "4",
        "thu_nhap": "3",
        "moi_truong": "5",
        "van_hoa": "4",
        "hanh_chinh": "4",
        "an_ninh": "5",
        "uu_tien": ["thu_nhap"],
        "y_kien": "Tốt",
    }
    t0 = time.perf_counter()
    for user in users:
        actions.submit_response(actor=user, survey=survey, raw=raw)
    t_answer = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = queries.survey_results(survey)
    t_results = time.perf_counter() - t0
    t0 = time.perf_counter()
    figures = queries.monitoring_figures(
        unit_ids=[commune.pk], period_start=date(2000, 1, 1), period_end=date(2100, 1, 1)
    )
    t_figures = time.perf_counter() - t0
    print(f"install satisfaction XLSForm (pyxform parse + questions): {t_install * 1000:.0f} ms")
    print(f"{len(users)} answers: {t_answer:.2f} s ({t_answer / len(users) * 1000:.1f} ms each)")
    print(f"results of {results['total']} responses: {t_results * 1000:.0f} ms")
    rate = figures[commune.pk]["engage.programme_satisfaction_rate"]
    print(
        f"monitoring figures: {t_figures * 1000:.0f} ms "
        f"(satisfaction {rate.numerator}/{rate.denominator})"
    )


if __name__ == "__main__":
    main()

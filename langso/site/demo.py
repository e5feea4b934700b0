"""Preparing the demo installation: units, Vô Tranh's population, then each app's demo.

Each app may provide `langso/<app>/demo.py` with

    def load_demo(*, commune, province, seed: int, stdout) -> None

It runs once (recorded in DemoRun), in the order of DEMO_APPS.
"""

import time
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

from langso.core.models import DemoRun
from langso.people.demo import DEMO_HAMLETS, create_demo_accounts, demo_units, populate_commune
from langso.people.models import Household
from langso.places.loader import load_admin_units
from langso.places.models import AdminUnit, Level, Structure

DEMO_APPS = ["documents", "procedures", "economy", "trace", "society", "engage", "monitor"]


def prepare_demo(
    *,
    stdout,
    seed: int = 2025,
    households: int = 3000,
    communes: int = 0,
    households_per_commune: int = 0,
) -> list[tuple[str, str, str]]:
    started = time.monotonic()
    if not AdminUnit.objects.filter(structure=Structure.Y2025).exists():
        stdout.write("Đang nạp đơn vị hành chính toàn quốc (legacy và 2025)...")
        report = load_admin_units(progress=lambda m: stdout.write(f"  {m}"))
        stdout.write(f"  {report.communes_2025} xã/phường mới, {report.communes_legacy} cũ.")
    province, commune = demo_units()
    if not DemoRun.objects.filter(app="people").exists():
        existing = Household.objects.filter(commune=commune).count()
        if existing < households:
            stdout.write(f"Đang tạo {households} hộ mẫu tại {commune.name}...")
            populate_commune(
                commune,
                households=households,
                seed=seed,
                hamlet_names=[f"Xóm {n}" for n in DEMO_HAMLETS],
                progress=lambda n: stdout.write(f"  {n}/{households} hộ"),
            )
        DemoRun.objects.create(app="people")
    if communes:
        extra = (
            AdminUnit.objects.filter(
                structure=Structure.Y2025, level=Level.COMMUNE, parent=province
            )
            .exclude(pk=commune.pk)
            .order_by("code")[:communes]
        )
        for i, unit in enumerate(extra, start=1):
            if not Household.objects.filter(commune=unit).exists():
                populate_commune(unit, households=households_per_commune or 500, seed=seed)
            stdout.write(f"  xã {i}/{communes}: {unit.name}")
    accounts = create_demo_accounts(province, commune)
    for app in DEMO_APPS:
        if DemoRun.objects.filter(app=app).exists():
            continue
        if find_spec(f"langso.{app}.demo") is None:
            continue
        module = import_module(f"langso.{app}.demo")
        stdout.write(f"Đang tạo dữ liệu mẫu: {app}...")
        t0 = time.monotonic()
        with transaction.atomic():
            module.load_demo(commune=commune, province=province, seed=seed, stdout=stdout)
            DemoRun.objects.create(app=app)
        stdout.write(f"  xong {app} ({time.monotonic() - t0:.1f} s)")
    stdout.write(f"Dữ liệu mẫu sẵn sàng ({time.monotonic() - started:.1f} s).")
    return accounts

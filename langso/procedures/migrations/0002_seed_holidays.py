"""Seed Vietnam's public holidays 2024-2030 from the `holidays` package. Administrators
correct them (e.g. the Tết dates the Government announces each year) in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from langso.procedures.working_time import vietnam_holidays

    Holiday = apps.get_model("procedures", "Holiday")
    existing = set(Holiday.objects.values_list("date", flat=True))
    rows = {}
    for day, name, kind in vietnam_holidays(range(2024, 2031)):
        if day not in existing:
            rows[day] = Holiday(date=day, name=name[:120], kind=kind)
    Holiday.objects.bulk_create(rows.values())


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

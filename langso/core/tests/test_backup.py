import json
import os
import subprocess
import sys
import tarfile
from datetime import date
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from conftest import make_user
from langso.core import audit
from langso.core.backup import (
    SEEDED,
    RestoreError,
    create_backup,
    restore_backup,
    table_counts,
    tables_in_use,
)
from langso.core.models import AuditAction
from langso.people.demo import populate_commune
from langso.people.models import Resident
from langso.procedures.models import Holiday


def _fresh_installation(tmp_path) -> dict:
    """The environment of a second, brand-new installation: its own database (a SQLite file,
    or a new PostgreSQL database on the test server) and its own media folder."""
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "LANGSO_MEDIA_ROOT": str(tmp_path / "fresh-media"),
        "LANGSO_DEMO_IDP": "0",
    }
    env.pop("REDIS_URL", None)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return env
    name = f"{settings_dict['NAME']}_restore"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    env["DATABASE_URL"] = f"postgres://{credentials}{host}:{settings_dict['PORT'] or 5432}/{name}"
    env["_FRESH_PG_NAME"] = name
    return env


def _drop(env: dict) -> None:
    if name := env.get("_FRESH_PG_NAME"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _langso(env: dict, *args: str) -> str:
    """Run the `langso` command as an operator would, in the fresh installation."""
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "langso.cli", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _data(archive) -> bytes:
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile("data.jsonl")
        assert handle is not None
        return handle.read()


FIGURES = """
import json
from langso.core.backup import table_counts
print(json.dumps(table_counts()))
"""
NEW_HOUSEHOLD = """
from django.contrib.auth import get_user_model
from langso.people.actions import create_household
from langso.people.models import Household
from langso.places.models import AdminUnit
official = get_user_model().objects.get(username=%r)
commune = AdminUnit.objects.get(pk=%d)
new = create_household(actor=official, commune=commune, code="05641-99999")
print(new.pk > max(Household.objects.exclude(pk=new.pk).values_list("pk", flat=True)))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_freshly_installed_and_migrated_installation(
    tmp_path, commune, official, legacy_units
):
    # docs/production.md: a fresh database, `langso migrate --noinput`, `langso restore
    # ARCHIVE`; no flush in between: the migrations' seed rows are there.
    populate_commune(commune, households=25, seed=3)
    audit.record(
        actor=official,
        action=AuditAction.EXPORT,
        object_type="people.Household",
        unit=commune,
        purpose="Báo cáo",
    )
    # an administrator corrected a seeded holiday: the restore keeps the correction
    Holiday.objects.update_or_create(
        date=date(2027, 2, 5), defaults={"name": "Nghỉ Tết (Chính phủ công bố)", "kind": "day_off"}
    )
    default_storage.save("evidence/bien-ban.pdf", ContentFile(b"%PDF-1.7 bien ban"))
    archive = create_backup(tmp_path / "backup.tar.gz")

    env = _fresh_installation(tmp_path)
    try:
        _langso(env, "migrate", "--noinput")
        seeded = json.loads(_langso(env, "shell", "--no-imports", "-c", FIGURES))
        assert {table for table, n in seeded.items() if n} == SEEDED

        out = _langso(env, "restore", str(archive))
        assert "Đã khôi phục" in out

        again = tmp_path / "again.tar.gz"
        _langso(env, "backup", str(again))
        assert _data(again) == _data(archive)  # row for row, field for field
        assert json.loads(_langso(env, "shell", "--no-imports", "-c", FIGURES)) == table_counts()
        restored = tmp_path / "fresh-media" / "evidence" / "bien-ban.pdf"
        assert restored.read_bytes() == b"%PDF-1.7 bien ban"
        # New rows get fresh ids after a restore (sequences were reset).
        script = NEW_HOUSEHOLD % (official.username, commune.pk)
        assert _langso(env, "shell", "--no-imports", "-c", script).strip() == "True"
    finally:
        _drop(env)


def test_only_the_seed_rows_of_the_migrations_leave_an_installation_empty(db):
    Holiday.objects.get_or_create(date=date(2030, 9, 2), defaults={"name": "Quốc khánh"})
    assert tables_in_use() == []
    make_user("admin")
    assert tables_in_use() == ["people.user"]


def test_a_running_worker_does_not_make_an_installation_in_use(db, settings):
    """The worker beats and starts its periodic jobs while the operator restores."""
    from django.utils import timezone

    from langso.core.models import ScheduledRun, WorkerHeartbeat
    from langso.core.schedule import run_scheduled_job

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=now, last_seen_at=now)
    ScheduledRun.objects.create(job="core.prune_schedule", slot=1, claimed_at=now)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_scheduled_job.enqueue("core.prune_schedule")  # queued, as a worker leaves it
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    assert tables_in_use() == []


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_installation_and_changes_nothing(tmp_path, household):
    archive = create_backup(tmp_path)
    before = table_counts()
    with pytest.raises(RestoreError) as error:
        restore_backup(archive)
    assert "cài đặt trống" in error.value.message
    assert table_counts() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_archive(tmp_path, db):
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz"):
        pass
    with pytest.raises(RestoreError):
        restore_backup(bad)


def test_a_birthday_survives_the_round_trip_unchanged():
    # Dates are serialized as ISO text: no time-zone shift can move a date of birth.
    from django.core import serializers

    resident = Resident(
        full_name="A",
        sex="M",
        date_of_birth=date(1990, 12, 31),
        household_id=1,
        commune_id=1,
        province_code="19",
    )
    text = serializers.serialize("json", [resident])
    assert '"date_of_birth": "1990-12-31"' in text


def test_a_time_keeps_its_microseconds_through_a_backup(tmp_path, commune):
    # Django's JSON cuts times to milliseconds: 10:56:59.000123 would come back as 10:56:59
    # and the restored installation would differ from the one backed up.
    from datetime import UTC, datetime

    from langso.places.models import Hamlet

    when = datetime(2026, 12, 7, 10, 56, 59, 123, tzinfo=UTC)
    hamlet = Hamlet.objects.create(commune=commune, code="05641-99", name="Xóm 99")
    Hamlet.objects.filter(pk=hamlet.pk).update(created_at=when)
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)
    with tarfile.open(archive) as tar:
        member = tar.extractfile("data.jsonl")
        assert member is not None
        lines = member.read().decode().splitlines()
    row = next(json.loads(line) for line in lines if '"05641-99"' in line)
    assert row["fields"]["created_at"] == "2026-12-07T10:56:59.000123Z"

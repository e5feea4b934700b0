"""Backup and restore of a whole installation: every table and every uploaded file.

The archive is a .tar.gz holding `manifest.json` (format, Django migration state, row count
per table), `data.jsonl` (one serialized object per line, in dependency order, written with
Django's serializers so the same archive restores on SQLite or PostgreSQL) and `media/...`.
Restore goes into an empty installation, in one transaction: it either all lands or nothing.

"Empty" means what `langso migrate` leaves in a fresh database: no row in any table except the
reference tables the migrations fill themselves (`SEEDED`: public holidays, water-quality
parameters and their limits). Restore replaces those seed rows with the archive's, so the
installation ends holding exactly the backed-up data (holidays an administrator corrected
included). Anything else (a user, a commune, a loaded administrative unit) means the
installation is in use, and restore refuses it without changing anything.
"""

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from .exceptions import DomainError

FORMAT = "langso-backup/1"
# Rebuilt by migrations or worthless after a restore.
SKIPPED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # the live workers' own bookkeeping: a worker running beside a restore writes these
    "core.workerheartbeat",
    "core.scheduledrun",
    # queued tasks, and the markers of queued recomputes: the schedule and recovery redo them
    "django_tasks_database.dbtaskresult",
    "monitor.pendingrecompute",
}


# Tables a fresh `migrate` fills (data migrations procedures/0002_seed_holidays and
# society/0002_water_standards). A new seeding migration adds its tables here; the round-trip
# test checks that this set is exactly what a fresh migrate leaves non-empty.
SEEDED = {
    "procedures.holiday",
    "society.parameter",
    "society.limit",
}


class RestoreError(DomainError):
    code = "core.restore_failed"


def backed_up_models() -> list[type[models.Model]]:
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        m
        for m in ordered
        if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed
    ]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: Django's cuts them to
    milliseconds, so a time such as 10:56:59.000123 would come back as 10:56:59 and a
    restored installation would no longer equal the one backed up."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _rows(model) -> Iterator[str]:
    qs = model._base_manager.order_by("pk")
    for obj in qs.iterator(chunk_size=2000):
        yield serializers.serialize(
            "json", [obj], use_natural_foreign_keys=True, cls=ExactJSONEncoder
        )[1:-1]


def table_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        yield from (p for p in sorted(root.rglob("*")) if p.is_file())


def create_backup(target: Path, progress: Callable[[str], None] = lambda _m: None) -> Path:
    target = Path(target)
    if target.is_dir():
        target = target / f"langso-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"
    counts: dict[str, int] = {}
    data = io.BytesIO()
    with transaction.atomic():  # one consistent snapshot (REPEATABLE READ not needed: read-only)
        for model in backed_up_models():
            label = model._meta.label_lower
            n = 0
            for line in _rows(model):
                data.write(line.encode("utf-8") + b"\n")
                n += 1
            counts[label] = n
            if n:
                progress(f"{label}: {n}")
    media = list(_media_files())
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": connection.vendor,
        "tables": counts,
        "media_files": len(media),
    }
    with tarfile.open(target, "w:gz") as tar:
        for name, payload in (
            ("manifest.json", json.dumps(manifest, indent=1).encode()),
            ("data.jsonl", data.getvalue()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        root = Path(settings.MEDIA_ROOT)
        for path in media:
            tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
    return target


def tables_in_use() -> list[str]:
    """The tables holding rows a fresh migrate does not create (empty list: an empty
    installation, ready for a restore)."""
    return [
        m._meta.label_lower
        for m in backed_up_models()
        if m._meta.label_lower not in SEEDED and m._base_manager.exists()
    ]


def _remove_seed_rows() -> None:
    # Children first (a limit belongs to a parameter); nothing else holds rows yet.
    for model in reversed(backed_up_models()):
        if model._meta.label_lower in SEEDED:
            model._base_manager.all().delete()


def restore_backup(source: Path, progress: Callable[[str], None] = lambda _m: None) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    in_use = tables_in_use()
    if in_use:
        raise RestoreError(
            "Chỉ khôi phục vào một cài đặt trống (mới cài và chạy migrate): cơ sở dữ liệu "
            f"đang có dữ liệu trong {', '.join(in_use[:5])}."
        )
    with tarfile.open(source, "r:gz") as tar:
        try:
            manifest = json.loads(_member_bytes(tar, "manifest.json"))
            data = _member_bytes(tar, "data.jsonl").decode("utf-8")
        except (KeyError, AttributeError, ValueError) as exc:
            raise RestoreError("Tệp sao lưu không hợp lệ hoặc bị hỏng.") from exc
        if manifest.get("format") != FORMAT:
            raise RestoreError("Tệp sao lưu không đúng định dạng của Làng Số.")
        media_members = [
            m
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith("media/") and ".." not in m.name
        ]
        try:
            with transaction.atomic():
                _remove_seed_rows()
                batch: list[str] = []
                for line in data.splitlines():
                    batch.append(line)
                    if len(batch) >= 2000:
                        _load(batch)
                        batch = []
                if batch:
                    _load(batch)
                counts = table_counts()
                if counts != {k: v for k, v in manifest["tables"].items() if k in counts}:
                    raise RestoreError("Số bản ghi sau khôi phục không khớp với bản sao lưu.")
        except DeserializationError as exc:
            raise RestoreError(f"Không đọc được dữ liệu sao lưu: {exc}") from exc
        root = Path(settings.MEDIA_ROOT)
        for member in media_members:
            dest = root / member.name.removeprefix("media/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(_member_bytes(tar, member))
    _reset_sequences()
    progress(f"{sum(manifest['tables'].values())} bản ghi, {len(media_members)} tệp")
    return manifest


def _member_bytes(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise KeyError(str(member))
    return handle.read()


def _load(lines: list[str]) -> None:
    for item in serializers.deserialize("json", "[" + ",".join(lines) + "]"):
        # Raw save: no save() overrides, no signals; the audit log's own guard only refuses
        # updates, and these are inserts into an empty table.
        models.Model.save_base(item.object, raw=True, force_insert=True)
        for field, values in (item.m2m_data or {}).items():
            getattr(item.object, field).set(values)


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

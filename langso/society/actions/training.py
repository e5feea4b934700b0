"""Digital-skills training: sessions, attendance by name or by count, and the attendance
sheet import. Only the commune's own leaders and civil servants write here
(`can_record_training`).

An officials' session takes attendees from the commune's officials (the people criterion 7.4
counts); a residents' session takes a head count and, optionally, named residents of the
commune. The import checks every row before writing any: a sheet with one bad row changes
nothing and reports each bad row by its number."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.text import fold
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import Resident, User

from ..attendance_sheet import SheetRow
from ..exceptions import AttendanceSheetInvalid, NotAllowed, TrainingInvalid
from ..models import Attendance, Course, TrainingAudience, TrainingSession
from ..permissions import can_record_training
from ..queries.training import officials_to_train


def _check(actor: Actor, commune) -> None:
    if not can_record_training(actor, commune):
        raise NotAllowed(_("Chỉ lãnh đạo, công chức của xã được ghi nhận tập huấn của xã."))


@transaction.atomic
def create_training_session(
    *,
    actor: Actor,
    commune,
    title: str,
    held_on: date,
    audience: str = TrainingAudience.OFFICIALS,
    place: str = "",
    trainer: str = "",
    topic: str = "",
    hours: int = 4,
) -> TrainingSession:
    """A session of the course named `title` (the commune's course of that name, created on
    first use)."""
    _check(actor, commune)
    title = " ".join(title.split())
    if not title:
        raise TrainingInvalid(_("Nhập tên khoá tập huấn."))
    if audience not in TrainingAudience.values:
        raise TrainingInvalid(_("Đối tượng tập huấn không hợp lệ."))
    course = Course.objects.filter(unit=commune, title__iexact=title).first()
    if course is None:
        course = Course(unit=commune, title=title, topic=topic.strip(), hours=hours)
        validate(course)
        course.save()
        audit.record_change(
            actor=actor, action=AuditAction.CREATE, target=course, changed=["title"]
        )
    session = TrainingSession(
        course=course,
        held_on=held_on,
        audience=audience,
        place=place.strip(),
        trainer=trainer.strip(),
    )
    validate(session)
    session.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE,
        target=session,
        changed=["course", "held_on", "audience", "place", "trainer"],
    )
    return session


@transaction.atomic
def delete_training_session(*, actor: Actor, session: TrainingSession) -> None:
    """Remove a session entered by mistake, with its attendance (the figure follows)."""
    commune = session.course.unit
    _check(actor, commune)
    n = session.attendances.count()
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=session,
        unit=commune,
        fields={"attendances": n, "held_on": session.held_on.isoformat()},
    )
    session.delete()


@transaction.atomic
def set_official_attendance(
    *, actor: Actor, session: TrainingSession, users: Iterable[User]
) -> int:
    """Make the officials present at `session` exactly `users`. Returns how many are present."""
    commune = session.course.unit
    _check(actor, commune)
    if session.audience != TrainingAudience.OFFICIALS:
        raise TrainingInvalid(_("Buổi này dành cho người dân, không điểm danh cán bộ."))
    wanted = {u.pk for u in users}
    allowed = set(officials_to_train(commune).values_list("pk", flat=True))
    if wanted - allowed:
        raise TrainingInvalid(_("Chỉ điểm danh được cán bộ của xã."))
    present = set(
        Attendance.objects.filter(session=session, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    added, removed = wanted - present, present - wanted
    if removed:
        Attendance.objects.filter(session=session, user_id__in=removed).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, user_id=uid) for uid in sorted(added)]
    )
    if added or removed:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=session,
            fields={"attendance_added": sorted(added), "attendance_removed": sorted(removed)},
        )
    return len(wanted)


@transaction.atomic
def set_resident_attendance(
    *,
    actor: Actor,
    session: TrainingSession,
    headcount: int,
    add: Iterable[Resident] = (),
    remove: Iterable[Resident] = (),
) -> None:
    """A residents' session: the number present without a name, plus named residents."""
    commune = session.course.unit
    _check(actor, commune)
    if session.audience != TrainingAudience.RESIDENTS:
        raise TrainingInvalid(_("Buổi này dành cho cán bộ; hãy điểm danh theo danh sách cán bộ."))
    if headcount < 0:
        raise TrainingInvalid(_("Số người tham dự không được âm."))
    add, remove = list(add), list(remove)
    if any(r.commune_id != commune.pk for r in add):
        raise TrainingInvalid(_("Chỉ ghi tên được người dân của xã."))
    changed = []
    if session.headcount != headcount:
        session.headcount = headcount
        session.save(update_fields=["headcount"])
        changed.append("headcount")
    have = set(
        Attendance.objects.filter(session=session, resident__isnull=False).values_list(
            "resident_id", flat=True
        )
    )
    new = [r for r in dict.fromkeys(add) if r.pk not in have]
    Attendance.objects.bulk_create([Attendance(session=session, resident=r) for r in new])
    gone = [r.pk for r in remove]
    removed, _kinds = Attendance.objects.filter(session=session, resident_id__in=gone).delete()
    if new or removed:
        changed.append("attendances")
    if changed:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=session,
            fields={
                "changed": changed,
                "residents_added": [r.pk for r in new],
                "residents_removed": sorted(gone) if removed else [],
            },
        )


@dataclass(frozen=True)
class ImportResult:
    added: int  # attendances written
    already: int  # rows naming someone already marked present


def _sessions_by_key(commune) -> tuple[dict[str, list], dict[date, list]]:
    by_label: dict[str, list] = {}
    by_date: dict[date, list] = {}
    for s in TrainingSession.objects.filter(course__unit=commune).select_related("course"):
        by_label.setdefault(_label_key(s.label), []).append(s)
        by_date.setdefault(s.held_on, []).append(s)
    return by_label, by_date


def _label_key(text: str) -> str:
    for dash in ("–", "-", "—"):
        text = text.replace(dash, " ")
    return fold(text)


def _parse_date(text: str) -> date | None:
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_session(row: SheetRow, by_label, by_date) -> tuple[TrainingSession | None, str]:
    value = row.session
    if value == "":
        return None, _("thiếu buổi tập huấn.")
    day = value if isinstance(value, date) else None
    if not isinstance(value, date):
        found = by_label.get(_label_key(value))
        if found and len(found) == 1:
            return found[0], ""
        if found:
            return None, _("có nhiều buổi trùng tên “%(s)s”.") % {"s": value}
        day = _parse_date(value)
    if day is None:
        return None, _("không có buổi tập huấn “%(s)s” của xã.") % {"s": value}
    found = by_date.get(day, [])
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, (
            _("ngày %(d)s xã có %(n)s buổi; ghi đủ tên buổi như trên trang tập huấn.")
            % {"d": f"{day:%d/%m/%Y}", "n": len(found)}
        )
    return None, _("xã không có buổi tập huấn nào ngày %(d)s.") % {"d": f"{day:%d/%m/%Y}"}


def _find_official(row: SheetRow, officials: list[User]) -> tuple[User | None, str]:
    if row.username:
        found = [u for u in officials if u.username.lower() == row.username.lower()]
        if found:
            return found[0], ""
        return None, _("không có cán bộ nào của xã có tên đăng nhập “%(u)s”.") % {"u": row.username}
    if not row.full_name:
        return None, _("thiếu tên đăng nhập hoặc họ và tên.")
    key = fold(row.full_name)
    found = [u for u in officials if fold(u.get_full_name()) == key]
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, (
            _("xã có %(n)s cán bộ tên “%(name)s”; hãy ghi tên đăng nhập.")
            % {"n": len(found), "name": row.full_name}
        )
    return None, _("không có cán bộ nào của xã tên “%(name)s”.") % {"name": row.full_name}


def _find_resident(row: SheetRow, commune) -> tuple[Resident | None, str]:
    if not row.full_name:
        return None, _("buổi dành cho người dân: thiếu họ và tên.")
    key = fold(row.full_name)
    qs = Resident.objects.filter(commune=commune, search_key__contains=key)
    if row.household_code:
        qs = qs.filter(household__code=row.household_code)
    found = [r for r in qs.select_related("household")[:500] if fold(r.full_name) == key]
    if len(found) == 1:
        return found[0], ""
    where = _(" trong hộ %(h)s") % {"h": row.household_code} if row.household_code else ""
    if found:
        return None, (
            _("xã có %(n)s người dân tên “%(name)s”; hãy ghi mã hộ.")
            % {"n": len(found), "name": row.full_name}
        )
    return None, _("không có người dân nào của xã tên “%(name)s”%(where)s.") % {
        "name": row.full_name,
        "where": where,
    }


@transaction.atomic
def import_attendance(*, actor: Actor, commune, rows: list[SheetRow]) -> ImportResult:
    """Mark present everyone listed on the sheet, or nobody: any bad row raises
    AttendanceSheetInvalid with every row's error and writes nothing."""
    _check(actor, commune)
    if not rows:
        raise AttendanceSheetInvalid(_("Tệp không có dòng điểm danh nào."), errors=[])
    by_label, by_date = _sessions_by_key(commune)
    officials = list(officials_to_train(commune))
    errors: list[tuple[int, str]] = []
    wanted: dict[tuple, Attendance] = {}
    for row in rows:
        session, problem = _find_session(row, by_label, by_date)
        if session is None:
            errors.append((row.number, problem))
            continue
        if session.audience == TrainingAudience.OFFICIALS:
            user, problem = _find_official(row, officials)
            if user is None:
                errors.append((row.number, problem))
                continue
            wanted.setdefault((session.pk, "user", user.pk), Attendance(session=session, user=user))
        else:
            resident, problem = _find_resident(row, commune)
            if resident is None:
                errors.append((row.number, problem))
                continue
            wanted.setdefault(
                (session.pk, "resident", resident.pk),
                Attendance(session=session, resident=resident),
            )
    if errors:
        raise AttendanceSheetInvalid(
            _("Tệp có %(n)s dòng lỗi; chưa ghi nhận dòng nào. Sửa các dòng dưới đây rồi nhập lại.")
            % {"n": len(errors)},
            errors=errors,
        )
    session_ids = {key[0] for key in wanted}
    existing = set()
    for a in Attendance.objects.filter(session_id__in=session_ids):
        if a.user_id:
            existing.add((a.session_id, "user", a.user_id))
        if a.resident_id:
            existing.add((a.session_id, "resident", a.resident_id))
    new = [a for key, a in wanted.items() if key not in existing]
    Attendance.objects.bulk_create(new)
    for session_id in sorted({a.session_id for a in new}):
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type=TrainingSession._meta.label,
            object_id=str(session_id),
            object_repr="điểm danh từ tệp Excel",
            unit=commune,
            fields={"attendance_imported": sum(1 for a in new if a.session_id == session_id)},
        )
    return ImportResult(added=len(new), already=len(wanted) - len(new))

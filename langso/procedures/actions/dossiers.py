"""Writes on dossiers: submission, transitions, apology slips, attachments."""

import secrets
import uuid
from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.figures import figures_changed
from langso.core.inserts import insert, insert_with_children
from langso.core.models import AuditAction
from langso.core.stored_files import save_new_file
from langso.core.validation import validate

from .. import results
from ..attachments import CheckedFile, check_files
from ..exceptions import (
    CommentRequired,
    DossierChanged,
    DossierNotFound,
    InvalidApologyDate,
    ProcedureNotFound,
    ProcedureNotOnline,
    ResultRequired,
    TransitionNotAllowed,
)
from ..models import (
    OPEN_STATES,
    ApologySlip,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    FileKind,
    ReceiptSequence,
    State,
    Timeliness,
)
from ..permissions import can_work_desk, is_applicant
from ..workflow import APPLICANT, BY_PAIR, OFFICIAL, Transition
from ..working_time import RECEIPT_LIMIT_MINUTES, WorkingCalendar, calendar
from .procedure_row import active_procedure

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105  no 0/O, 1/I: read over the phone
SECRET_LENGTH = 8  # 40 bits: receipt codes are sequential, the secret is what protects them
assert len(SECRET_ALPHABET) == 32


def new_tracking_secret() -> str:
    # 32 letters: each is 5 bits of one draw of 40 random bits, all equally likely.
    bits = secrets.randbits(5 * SECRET_LENGTH)
    return "".join(SECRET_ALPHABET[(bits >> (5 * i)) & 31] for i in range(SECRET_LENGTH))


SEQUENCE = ReceiptSequence._meta.db_table
DOSSIER = Dossier._meta.db_table


def _receipt_prefix(dossier: Dossier, day: date) -> str:
    return f"{dossier.commune.code}-{day:%y%m%d}-"


def number_dossier(dossier: Dossier, day: date) -> str:
    """Give `dossier` the commune's next receipt code of `day`, '05641-261123-0007' (commune
    code, date, number of the day), and store it. The UPDATE of the day's sequence row locks
    it until the surrounding transaction commits: numbers never repeat and, as a rolled-back
    submission frees its number for the next one, the day's numbers have no gaps. Callers
    take the number last, so the lock is held only from here to COMMIT; on PostgreSQL the
    number and the dossier's code are written by one statement (and a submission takes its
    number in the statement that writes its rows, see `_write_submission`)."""
    prefix = _receipt_prefix(dossier, day)
    params: list[int | date | str] = [dossier.commune_id, day]
    if connection.vendor == "postgresql":
        sql = (
            f'WITH "n" AS (UPDATE "{SEQUENCE}" SET "last" = "last" + 1 '  # noqa: S608  fixed identifiers
            'WHERE "commune_id" = %s AND "day" = %s RETURNING "last") '
            f'UPDATE "{DOSSIER}" SET "receipt_code" = %s || '
            """lpad("n"."last"::text, greatest(4, length("n"."last"::text)), '0') """
            f'FROM "n" WHERE "{DOSSIER}"."id" = %s RETURNING "receipt_code"'
        )
        params += [prefix, dossier.pk]
    else:
        sql = (
            f'UPDATE "{SEQUENCE}" SET "last" = "last" + 1 '  # noqa: S608  fixed identifiers
            'WHERE "commune_id" = %s AND "day" = %s RETURNING "last"'
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:  # the commune's first dossier of the day
            ReceiptSequence.objects.get_or_create(commune_id=dossier.commune_id, day=day)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if connection.vendor == "postgresql":
        dossier.receipt_code = row[0]
    else:
        dossier.receipt_code = f"{prefix}{row[0]:04d}"
        Dossier.objects.filter(pk=dossier.pk).update(receipt_code=dossier.receipt_code)
    return dossier.receipt_code


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def _file_rows(
    dossier: Dossier, checked: list[CheckedFile], *, kind: str, actor
) -> list[DossierFile]:
    """The attachment rows of `checked`, not yet inserted, their files written to disk."""
    rows = []
    for item in checked:
        row = DossierFile(
            dossier=dossier,
            kind=kind,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        save_new_file(row.file, item.file, f"{uuid.uuid4().hex}.{row.extension}")
        rows.append(row)
    return rows


def _store_files(dossier: Dossier, checked: list[CheckedFile], *, kind: str, actor) -> None:
    for row in _file_rows(dossier, checked, kind=kind, actor=actor):
        insert(row)


# The day's receipt number on PostgreSQL, taken by the statement that writes the dossier:
# the sequence row (created by the first dossier of the day) is locked until COMMIT.
_NEXT_NUMBER = (
    f'"n" AS (INSERT INTO "{SEQUENCE}" ("commune_id", "day", "last") VALUES (%s, %s, 1) '  # noqa: S608  fixed identifiers
    f'ON CONFLICT ("commune_id", "day") DO UPDATE SET "last" = "{SEQUENCE}"."last" + 1 '
    'RETURNING "last")'
)
_RECEIPT_CODE = (
    """(SELECT %s || lpad("last"::text, greatest(4, length("last"::text)), '0') FROM "n")"""
)


# The audit row names the dossier by its key and its receipt code (str(dossier)), both given
# by the database in the statement that writes it (r0: the dossier's row as inserted).
_AUDITED = {
    "object_id": ('(SELECT "r0"."id"::text FROM "r0")', ()),
    "object_repr": ('(SELECT left("r0"."receipt_code", 200) FROM "r0")', ()),
}


def _write_submission(
    dossier: Dossier, files: list[DossierFile], event: DossierEvent, day: date, *, actor
) -> None:
    """Insert the dossier with the day's receipt number, its attachment rows, its history
    row and the audit row: one statement on PostgreSQL (core.inserts.insert_with_children),
    else one by one, the number last but for the audit row (`number_dossier`)."""
    if connection.vendor == "postgresql" and insert_with_children(
        dossier,
        [*files, event],
        link="dossier",
        given={"receipt_code": (_RECEIPT_CODE, [_receipt_prefix(dossier, day)])},
        with_sql=_NEXT_NUMBER,
        with_params=[dossier.commune_id, day],
        others=[
            (audit.change_event(actor=actor, action=AuditAction.CREATE, target=dossier), _AUDITED)
        ],
    ):
        return
    insert(dossier)
    for row in files:
        insert(row)
    insert(event)
    number_dossier(dossier, day)
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=dossier)


@transaction.atomic
def submit_dossier(
    *,
    actor,
    procedure_id: int,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    description: str = "",
    files=(),
    channel: int | None = None,
    now: datetime | None = None,
    cal: WorkingCalendar | None = None,
) -> Dossier:
    """A resident submits online (channel 2), or a desk official records a dossier brought to
    the counter (channel 1, received at once). Returns the dossier with its receipt code,
    tracking secret and appointment date."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Vui lòng đăng nhập để nộp hồ sơ trực tuyến."))
    procedure = active_procedure(procedure_id)
    if procedure is None:
        raise ProcedureNotFound(_("Không tìm thấy thủ tục hoặc thủ tục đã ngừng áp dụng."))
    commune = procedure.commune
    at_counter = can_work_desk(actor, commune) and channel != Channel.ONLINE
    if channel in (Channel.IN_PERSON, Channel.POST) and not can_work_desk(actor, commune):
        raise PermissionDenied(
            _("Chỉ cán bộ bộ phận một cửa của xã mới tiếp nhận hồ sơ trực tiếp.")
        )
    if not at_counter and not procedure.accepts_online:
        raise ProcedureNotOnline(_("Thủ tục này chỉ tiếp nhận tại bộ phận một cửa của xã."))
    name = (applicant_name or "").strip()
    if not name:
        raise ValidationFailed(
            _("Vui lòng nhập họ tên người nộp hồ sơ."), code="procedures.applicant_required"
        )
    checked = check_files(files, required=not at_counter)

    now = now or timezone.now()
    cal = cal or calendar()
    dossier = Dossier(
        commune=commune,
        province_code=commune.province_code,
        procedure=procedure,
        receipt_code=f"TMP-{uuid.uuid4().hex[:24]}",  # numbered when written, see below
        tracking_secret=new_tracking_secret(),
        channel=(channel or Channel.IN_PERSON) if at_counter else Channel.ONLINE,
        state=State.RECEIVED if at_counter else State.SUBMITTED,
        applicant_user=None if at_counter else actor,
        applicant_name=name[:120],
        applicant_phone=applicant_phone.strip()[:20],
        applicant_email=applicant_email.strip(),
        applicant_address=applicant_address[:200],
        description=description,
        submitted_at=now,
        receipt_due_at=None if at_counter else cal.add_minutes(now, RECEIPT_LIMIT_MINUTES),
        received_at=now if at_counter else None,
        received_by=actor if at_counter else None,
        due_at=cal.add_minutes(now, procedure.processing_minutes),
    )
    # Field checks only: foreign keys and unique columns are enforced by the database.
    validate(
        dossier,
        code="procedures.invalid_dossier",
        validate_unique=False,
        exclude=["commune", "procedure", "applicant_user", "received_by", "handler"],
    )
    files = _file_rows(dossier, checked, kind=FileKind.APPLICATION, actor=actor)
    event = DossierEvent(
        dossier=dossier,
        at=now,
        actor=actor,
        actor_name=_actor_name(actor),
        action="submit",
        from_state="",
        to_state=dossier.state,
        comment=_("Tiếp nhận trực tiếp tại bộ phận một cửa") if at_counter else _("Nộp trực tuyến"),
    )
    _figures_changed(dossier)  # its receivers act after COMMIT: nothing to do under the lock
    # The day's receipt number is taken by the last statement, which writes the rows: the
    # sequence row stays locked until COMMIT, so concurrent submissions to one commune wait
    # only for the rest of that statement and the COMMIT.
    _write_submission(dossier, files, event, timezone.localtime(now).date(), actor=actor)
    return dossier


def _figures_changed(dossier: Dossier) -> None:
    """The commune's public-service figures moved. Whoever keeps figures (monitor) acts after
    COMMIT; nothing here writes or locks a row shared by the commune's submissions."""
    figures_changed.send(sender=Dossier, unit=dossier.commune, year=None)


def actor_kinds(actor, dossier: Dossier) -> set[str]:
    kinds = set()
    if can_work_desk(actor, dossier.commune):
        kinds.add(OFFICIAL)
    if is_applicant(actor, dossier):
        kinds.add(APPLICANT)
    return kinds


def _load_for_update(dossier_id, actor) -> Dossier:
    from ..queries import dossiers_visible_to, parse_public_id

    qs = dossiers_visible_to(actor).select_related("procedure", "commune")
    if isinstance(dossier_id, int):
        dossier = qs.filter(pk=dossier_id).first()
    else:
        public_id = parse_public_id(dossier_id)
        dossier = qs.filter(public_id=public_id).first() if public_id else None
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def _save_versioned(dossier: Dossier, version: int, changes: dict, now: datetime) -> None:
    """UPDATE ... WHERE version = n: a second official acting on the same loaded version
    updates no row and is refused."""
    rows = Dossier.objects.filter(pk=dossier.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=now
    )
    if rows != 1:
        raise DossierChanged()
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.version = version + 1
    dossier.updated_at = now


def _timeliness(settled_at: datetime, due_at: datetime) -> str:
    if settled_at > due_at:
        return Timeliness.LATE
    if timezone.localtime(settled_at).date() < timezone.localtime(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def _state_changes(
    dossier: Dossier,
    transition: Transition,
    actor,
    now: datetime,
    comment: str,
    cal: WorkingCalendar,
) -> dict:
    changes: dict = {"state": transition.target}
    if dossier.state == State.SUPPLEMENT_REQUESTED and dossier.paused_at is not None:
        # The clock stood still while the applicant gathered papers: push the deadline.
        paused = cal.minutes_between(dossier.paused_at, now)
        changes["paused_at"] = None
        changes["paused_minutes"] = dossier.paused_minutes + paused
        changes["due_at"] = cal.add_minutes(dossier.due_at, paused) if paused else dossier.due_at
        if dossier.extended_due_at and paused:
            changes["extended_due_at"] = cal.add_minutes(dossier.extended_due_at, paused)
    target = transition.target
    if target == State.SUPPLEMENT_REQUESTED:
        changes["paused_at"] = now
    if target == State.RECEIVED:
        changes["received_at"] = now
        changes["received_by"] = actor
    if target == State.PROCESSING and dossier.handler_id is None:
        changes["handler"] = actor
    if target in (State.COMPLETED, State.REJECTED):
        due_at = changes.get("due_at", dossier.due_at)
        changes["settled_at"] = now
        changes["timeliness"] = _timeliness(now, due_at)
        worked = cal.minutes_between(dossier.submitted_at, now)
        changes["processing_minutes"] = max(
            0, worked - changes.get("paused_minutes", dossier.paused_minutes)
        )
    if target in (State.REJECTED, State.NOT_RECEIVED, State.WITHDRAWN):
        changes["outcome_reason"] = comment
    return changes


@transaction.atomic
def transition_dossier(
    *,
    actor,
    dossier_id,
    to_state: str,
    version: int,
    comment: str = "",
    files=(),
    result_file=None,
    generate_result: bool = False,
    now: datetime | None = None,
) -> Dossier:
    """Move a dossier to `to_state` if the rules allow it from its current state, for this
    actor, at this version. Records a history row. Raises a DomainError and changes
    nothing otherwise."""
    dossier = _load_for_update(dossier_id, actor)
    if int(version) != dossier.version:
        raise DossierChanged()
    transition = BY_PAIR.get((dossier.state, to_state))
    if transition is None:
        raise TransitionNotAllowed(
            _("Không thể chuyển hồ sơ từ trạng thái “%(source)s” sang “%(target)s”.")
            % {"source": State(dossier.state).label, "target": _label(to_state)},
            source=dossier.state,
            target=to_state,
        )
    if not (transition.actors & actor_kinds(actor, dossier)):
        audit.record_refusal(actor=actor, target=dossier, purpose=f"transition:{to_state}")
        raise PermissionDenied(
            _("Bạn không có quyền “%(action)s” với hồ sơ này.") % {"action": transition.label}
        )
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise CommentRequired(
            _("Vui lòng ghi rõ lý do khi “%(action)s”.") % {"action": transition.label}
        )
    checked = check_files(files, required=False) if files else []
    checked_result = check_files([result_file])[0] if result_file is not None else None
    if to_state == State.COMPLETED and checked_result is None and not generate_result:
        raise ResultRequired(
            _("Vui lòng đính kèm hoặc tạo văn bản kết quả trước khi hoàn thành hồ sơ.")
        )
    now = now or timezone.now()
    cal = calendar()
    changes = _state_changes(dossier, transition, actor, now, comment, cal)
    previous = dossier.state
    _save_versioned(dossier, version, changes, now)
    if checked:
        _store_files(dossier, checked, kind=FileKind.SUPPLEMENT, actor=actor)
    if checked_result is not None:
        _store_files(dossier, [checked_result], kind=FileKind.RESULT, actor=actor)
    if to_state == State.COMPLETED and generate_result:
        document_id = results.issue_result_document(actor=actor, dossier=dossier, comment=comment)
        if document_id is None and checked_result is None:
            raise ResultRequired(
                _("Chưa tạo được văn bản kết quả ký số; vui lòng đính kèm tệp kết quả.")
            )
        if document_id is not None:
            Dossier.objects.filter(pk=dossier.pk).update(result_document_id=document_id)
            dossier.result_document_id = document_id
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=actor,
        actor_name=_actor_name(actor),
        action=transition.action,
        from_state=previous,
        to_state=to_state,
        comment=comment,
    )
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=dossier, changed=sorted(changes)
    )
    _figures_changed(dossier)
    return dossier


def _label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


def complete_dossier(
    *,
    actor,
    dossier_id,
    version: int,
    comment: str = "",
    result_file=None,
    generate_result: bool = True,
    now: datetime | None = None,
) -> Dossier:
    """Settle a dossier with its result: an uploaded file and/or a signed PDF issued by the
    documents app (see results.py)."""
    return transition_dossier(
        actor=actor,
        dossier_id=dossier_id,
        to_state=State.COMPLETED,
        version=version,
        comment=comment,
        result_file=result_file,
        generate_result=generate_result and result_file is None,
        now=now,
    )


@transaction.atomic
def issue_apology(
    *, actor, dossier_id, version: int, new_date: date, reason: str, now: datetime | None = None
) -> ApologySlip:
    """An apology slip with a new appointment date. The dossier still counts as late if it
    is settled after its legal deadline."""
    dossier = _load_for_update(dossier_id, actor)
    if int(version) != dossier.version:
        raise DossierChanged()
    if not can_work_desk(actor, dossier.commune):
        raise PermissionDenied(_("Chỉ cán bộ bộ phận một cửa của xã mới lập phiếu xin lỗi."))
    if dossier.state not in OPEN_STATES:
        raise TransitionNotAllowed(_("Hồ sơ đã kết thúc, không lập phiếu xin lỗi được."))
    reason = (reason or "").strip()
    if not reason:
        raise CommentRequired(_("Vui lòng ghi rõ lý do chậm trả kết quả."))
    current = dossier.appointment_at
    new_due = timezone.make_aware(datetime.combine(new_date, time(17, 0)))
    if new_due <= current:
        raise InvalidApologyDate(
            _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(date)s).")
            % {"date": timezone.localtime(current).strftime("%d/%m/%Y")}
        )
    now = now or timezone.now()
    _save_versioned(dossier, version, {"extended_due_at": new_due}, now)
    slip = ApologySlip.objects.create(
        dossier=dossier,
        issued_at=now,
        issued_by=actor,
        previous_due_at=current,
        new_due_at=new_due,
        reason=reason,
    )
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=actor,
        actor_name=_actor_name(actor),
        action="apology",
        from_state=dossier.state,
        to_state=dossier.state,
        comment=_("Phiếu xin lỗi, hẹn lại ngày %(date)s: %(reason)s")
        % {"date": new_date.strftime("%d/%m/%Y"), "reason": reason},
    )
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=dossier, changed=["extended_due_at"]
    )
    return slip


__all__ = ["complete_dossier", "issue_apology", "submit_dossier", "transition_dossier"]

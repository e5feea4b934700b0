"""Reads of procedures and dossiers, and the figures that feed monitoring.

The doors: `procedures_visible_to(user)` (the public catalogue), `dossiers_visible_to(user)`
(desk roles of the unit, and applicants for their own dossiers), `track_dossier(code,
secret)` for anyone holding a receipt's secret.
"""

import hmac
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit, formats
from langso.core.figures import Figure, FigureDefinition
from langso.core.text import fold
from langso.people.permissions import unit_scope_q

from .exceptions import DossierNotFound, ProcedureNotFound
from .models import (
    OPEN_STATES,
    SETTLED_STATES,
    AlertKind,
    Channel,
    Dossier,
    DossierFile,
    FileKind,
    Holiday,
    Notification,
    Procedure,
    Rating,
    Satisfaction,
    State,
    Timeliness,
    alert_message,
)
from .permissions import DESK_ROLES, READ_ROLES
from .working_time import MINUTES_PER_DAY, calendar


def parse_public_id(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- catalogue ------------------------------------------------------------------------------


def procedures_visible_to(user) -> QuerySet[Procedure]:
    """Active procedures are public; desk officials also see their unit's inactive ones."""
    qs = Procedure.objects.select_related("commune")
    if getattr(user, "is_authenticated", False):
        return qs.filter(Q(is_active=True) | unit_scope_q(user, "commune", DESK_ROLES))
    return qs.filter(is_active=True)


def search_procedures(user, text: str = "", field: str = "", commune=None) -> QuerySet[Procedure]:
    qs = procedures_visible_to(user)
    for word in fold(text).split():
        qs = qs.filter(search_key__contains=word)
    if field:
        qs = qs.filter(field=field)
    if commune is not None:
        qs = qs.filter(commune=commune)
    return qs.order_by("field", "name")


def get_procedure(user, procedure_id: int) -> Procedure:
    procedure = procedures_visible_to(user).filter(pk=procedure_id).first()
    if procedure is None:
        raise ProcedureNotFound(_("Không tìm thấy thủ tục."))
    return procedure


def procedures_editable_by(user) -> QuerySet[Procedure]:
    return Procedure.objects.select_related("commune").filter(
        unit_scope_q(user, "commune", DESK_ROLES)
    )


# --- dossiers -------------------------------------------------------------------------------


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    qs = Dossier.objects.select_related("procedure", "commune")
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_scope_q(user, "commune", READ_ROLES) | Q(applicant_user=user))


def desk_dossiers(user) -> QuerySet[Dossier]:
    """Dossiers of the units where `user` holds a reading role (not their own)."""
    return Dossier.objects.select_related("procedure", "commune").filter(
        unit_scope_q(user, "commune", READ_ROLES)
    )


def get_dossier(user, public_id) -> Dossier:
    parsed = parse_public_id(public_id)
    dossier = dossiers_visible_to(user).filter(public_id=parsed).first() if parsed else None
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def dossier_detail(user, public_id, *, purpose: str = "xử lý hồ sơ") -> Dossier:
    """A dossier with its history and files. An official reading someone else's dossier
    (applicant's name, phone, address, papers) is logged."""
    parsed = parse_public_id(public_id)
    dossier = (
        dossiers_visible_to(user)
        .select_related("received_by", "handler")
        .prefetch_related("events", "files", "apologies")
        .filter(public_id=parsed)
        .first()
        if parsed
        else None
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    if dossier.applicant_user_id != user.pk:
        audit.record_read(
            actor=user,
            target=dossier,
            purpose=purpose,
            fields=["applicant_name", "applicant_phone", "applicant_address", "files"],
        )
    return dossier


def dossier_for_viewer(user, public_id, tracked_ids=()) -> Dossier:
    """The applicant's or an official's dossier, or one followed in this browser session
    with its receipt code and secret."""
    parsed = parse_public_id(public_id)
    dossier = dossiers_visible_to(user).filter(public_id=parsed).first() if parsed else None
    if dossier is None and parsed and str(parsed) in set(tracked_ids):
        dossier = (
            Dossier.objects.select_related("procedure", "commune").filter(public_id=parsed).first()
        )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    return (
        Dossier.objects.select_related("procedure", "commune")
        .prefetch_related("events", "files", "apologies")
        .get(pk=dossier.pk)
    )


def file_for_viewer(user, file_id, tracked_ids=()) -> DossierFile:
    """Any file of a dossier the user may see; of a tracked dossier, only its result."""
    parsed = parse_public_id(file_id)
    row = (
        DossierFile.objects.select_related("dossier").filter(public_id=parsed).first()
        if parsed
        else None
    )
    if row is not None:
        visible = dossiers_visible_to(user).filter(pk=row.dossier_id).exists()
        tracked = str(row.dossier.public_id) in set(tracked_ids) and row.kind == FileKind.RESULT
        if visible or tracked:
            return row
    raise DossierNotFound(_("Không tìm thấy tệp."))


def my_dossiers(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.select_related("procedure", "commune", "rating")
        .filter(applicant_user=user)
        .order_by("-submitted_at")
    )


def track_dossier(receipt_code: str, secret: str) -> Dossier:
    """Public follow-up by receipt code and secret. The same answer for an unknown code and a
    wrong secret, so codes cannot be probed."""
    code = (receipt_code or "").strip().upper()
    given = (secret or "").strip().upper().replace(" ", "")
    dossier = (
        Dossier.objects.select_related("procedure", "commune")
        .prefetch_related("events", "apologies")
        .filter(receipt_code=code)
        .first()
    )
    expected = dossier.tracking_secret if dossier else "X" * 8
    if not (hmac.compare_digest(given.encode(), expected.encode()) and dossier and given):
        raise DossierNotFound(
            _(
                "Không tìm thấy hồ sơ với mã biên nhận và mã tra cứu đã nhập. "
                "Vui lòng kiểm tra lại giấy biên nhận."
            )
        )
    return dossier


def deadline_flag(dossier: Dossier, now: datetime, soon: datetime) -> str:
    """'receipt_late', 'overdue', 'due_soon', 'paused' or '' for an open dossier."""
    if dossier.state not in OPEN_STATES:
        return ""
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return "paused"
    if dossier.state == State.SUBMITTED and dossier.receipt_due_at and dossier.receipt_due_at < now:
        return "receipt_late"
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= soon:
        return "due_soon"
    return ""


def desk_queue(
    user, *, state: str = "", flag: str = "", text: str = "", now: datetime | None = None
) -> tuple[list[Dossier], dict]:
    """The officials' queue, open dossiers first by deadline (at most 300); each row carries
    `.flag`. The desk page pages through `desk_filtered` instead."""
    now = now or timezone.now()
    rows = with_flags(
        list(desk_filtered(user, state=state, flag=flag, text=text, now=now)[:300]), now
    )
    return rows, desk_counts(user, now=now)


def _due_soon_limit(now: datetime) -> datetime:
    return calendar().add_minutes(now, MINUTES_PER_DAY)


def desk_filtered(
    user, *, state: str = "", flag: str = "", text: str = "", now: datetime | None = None
) -> QuerySet[Dossier]:
    """The desk's dossiers for these filters, ordered by deadline."""
    now = now or timezone.now()
    soon = _due_soon_limit(now)
    qs = desk_dossiers(user)
    if state == "open" or not state:
        qs = qs.filter(state__in=OPEN_STATES)
    elif state != "all":
        qs = qs.filter(state=state)
    running = ~Q(state=State.SUPPLEMENT_REQUESTED)
    if flag == "overdue":
        qs = qs.filter(running, due_at__lt=now)
    elif flag == "due_soon":
        qs = qs.filter(running, due_at__gte=now, due_at__lte=soon)
    elif flag == "receipt_late":
        qs = qs.filter(state=State.SUBMITTED, receipt_due_at__lt=now)
    if text:
        words = text.strip()
        qs = qs.filter(Q(receipt_code__icontains=words) | Q(applicant_name__icontains=words))
    return qs.order_by("due_at", "id")


# what a row of the desk's table shows: not the description, address, e-mail, notes...
DESK_ROW_FIELDS = (
    "id",
    "public_id",
    "receipt_code",
    "channel",
    "state",
    "due_at",
    "receipt_due_at",
    "applicant_name",
    "procedure__name",
)


def desk_rows(
    user, *, state: str = "", flag: str = "", text: str = "", now: datetime | None = None
) -> QuerySet[Dossier]:
    """`desk_filtered` with only the columns the desk's table shows, in one query."""
    return (
        desk_filtered(user, state=state, flag=flag, text=text, now=now)
        .select_related(None)
        .select_related("procedure")
        .only(*DESK_ROW_FIELDS)
    )


def desk_is_all_open(*, state: str = "", flag: str = "", text: str = "") -> bool:
    """Whether these filters list every open dossier (then `desk_counts()["open"]` counts
    them, and the page need not count them again)."""
    return state in ("open", "") and not flag and not text


def with_flags(rows: list[Dossier], now: datetime) -> list[Dossier]:
    soon = _due_soon_limit(now)
    for row in rows:
        row.flag = deadline_flag(row, now, soon)  # type: ignore[attr-defined]  # for the desk list
    return rows


def desk_counts(user, *, now: datetime | None = None) -> dict:
    """Open dossiers, and how many are overdue, due within a working day, or not received
    within 8 working hours."""
    now = now or timezone.now()
    soon = _due_soon_limit(now)
    running = ~Q(state=State.SUPPLEMENT_REQUESTED)
    return (
        desk_dossiers(user)
        .filter(state__in=OPEN_STATES)
        .aggregate(  # one query
            open=Count("id"),
            overdue=Count("id", filter=running & Q(due_at__lt=now)),
            due_soon=Count("id", filter=running & Q(due_at__gte=now, due_at__lte=soon)),
            receipt_late=Count("id", filter=Q(state=State.SUBMITTED, receipt_due_at__lt=now)),
        )
    )


def register_rows(user, *, start: date | None = None, end: date | None = None):
    qs = desk_dossiers(user).select_related("rating").order_by("submitted_at", "id")
    if start:
        qs = qs.filter(submitted_at__gte=_start_of(start))
    if end:
        qs = qs.filter(submitted_at__lt=_start_of(end + timedelta(days=1)))
    return qs


def unread_notifications(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.select_related("dossier").filter(
        recipient=user, read_at__isnull=True
    )


ALERT_RUNNING_STATES = [State.SUBMITTED, State.RECEIVED, State.PROCESSING, State.SUPPLEMENTED]


def desk_alerts(user, *, now=None, limit: int = 20) -> list[Notification]:
    """The unread alerts that still hold, worded as the dossier stands now: an alert about a
    dossier since received or closed is gone, and "due soon" past its deadline says overdue."""
    now = now or timezone.now()
    alerts = unread_notifications(user).filter(
        Q(kind=AlertKind.RECEIPT_LATE, dossier__state=State.SUBMITTED)
        | Q(
            kind__in=[AlertKind.DUE_SOON, AlertKind.OVERDUE],
            dossier__state__in=ALERT_RUNNING_STATES,
        )
    )
    out = []
    for alert in alerts[:limit]:
        if alert.kind == AlertKind.DUE_SOON and alert.dossier.due_at < now:
            alert.message = alert_message(AlertKind.OVERDUE, alert.dossier)
        out.append(alert)
    return out


# --- figures --------------------------------------------------------------------------------

FIGURE_DEFINITIONS = {
    "procedures.received": FigureDefinition(
        "procedures.received",
        "Số hồ sơ tiếp nhận",
        "count",
        "Hồ sơ nộp trong kỳ (theo ngày nộp), mọi kênh; không tính hồ sơ bị từ chối tiếp nhận "
        "ngay khi nộp (trạng thái “Không tiếp nhận”). Hồ sơ đã rút vẫn được tính.",
    ),
    "procedures.online_rate": FigureDefinition(
        "procedures.online_rate",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "rate",
        "Số hồ sơ tiếp nhận qua kênh trực tuyến / số hồ sơ tiếp nhận trong kỳ (cùng mẫu số "
        "với chỉ tiêu “Số hồ sơ tiếp nhận”).",
    ),
    "procedures.on_time_rate": FigureDefinition(
        "procedures.on_time_rate",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "rate",
        "(Trước hạn + đúng hạn) / số hồ sơ đã giải quyết trong kỳ (theo ngày giải quyết). "
        "Đã giải quyết = có kết quả hoặc từ chối giải quyết có lý do; hồ sơ đã rút, không "
        "tiếp nhận hoặc đang xử lý không nằm trong mẫu số. Hồ sơ có phiếu xin lỗi vẫn tính "
        "theo hạn ban đầu (cộng thời gian chờ bổ sung).",
    ),
    "procedures.late_rate": FigureDefinition(
        "procedures.late_rate",
        "Tỷ lệ hồ sơ giải quyết quá hạn",
        "rate",
        "Quá hạn / số hồ sơ đã giải quyết trong kỳ (cùng mẫu số với tỷ lệ đúng hạn).",
    ),
    "procedures.avg_processing_days": FigureDefinition(
        "procedures.avg_processing_days",
        "Thời gian giải quyết bình quân (ngày làm việc)",
        "average",
        "Tổng số ngày làm việc từ khi nộp đến khi giải quyết xong, trừ thời gian chờ bổ sung "
        "(8 giờ làm việc = 1 ngày) / số hồ sơ đã giải quyết trong kỳ.",
    ),
    "procedures.satisfaction_rate": FigureDefinition(
        "procedures.satisfaction_rate",
        "Tỷ lệ hài lòng",
        "rate",
        "Theo cách tính của Quyết định 766/QĐ-TTg: (số hồ sơ được đánh giá − số hồ sơ đánh "
        "giá “Không hài lòng”) / số hồ sơ được đánh giá. Mẫu số là các hồ sơ giải quyết xong "
        "trong kỳ có đánh giá (hồ sơ chưa đánh giá không tính).",
    ),
}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    """Figures per commune for [period_start, period_end] (both dates included)."""
    start, end = _start_of(period_start), _start_of(period_end + timedelta(days=1))
    ids = list(unit_ids)
    out: dict[int, dict[str, Figure]] = {}
    received = (
        Dossier.objects.filter(commune_id__in=ids, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(state=State.NOT_RECEIVED)
        .values("commune_id")
        .annotate(total=Count("id"), online=Count("id", filter=Q(channel=Channel.ONLINE)))
    )
    received_by = {r["commune_id"]: r for r in received}
    settled = (
        Dossier.objects.filter(
            commune_id__in=ids, state__in=SETTLED_STATES, settled_at__gte=start, settled_at__lt=end
        )
        .values("commune_id")
        .annotate(
            total=Count("id"),
            in_time=Count("id", filter=Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])),
            late=Count("id", filter=Q(timeliness=Timeliness.LATE)),
            minutes=Sum("processing_minutes"),
        )
    )
    settled_by = {r["commune_id"]: r for r in settled}
    rated = (
        Rating.objects.filter(
            dossier__commune_id__in=ids, dossier__settled_at__gte=start, dossier__settled_at__lt=end
        )
        .values("dossier__commune_id")
        .annotate(
            total=Count("id"), unhappy=Count("id", filter=Q(level=Satisfaction.NOT_SATISFIED))
        )
    )
    rated_by = {r["dossier__commune_id"]: r for r in rated}
    for uid in ids:
        r = received_by.get(uid, {"total": 0, "online": 0})
        s = settled_by.get(uid, {"total": 0, "in_time": 0, "late": 0, "minutes": 0})
        v = rated_by.get(uid, {"total": 0, "unhappy": 0})
        days = (Decimal(s["minutes"] or 0) / MINUTES_PER_DAY).quantize(Decimal("0.01"))
        out[uid] = {
            "procedures.received": Figure(r["total"]),
            "procedures.online_rate": Figure(r["online"], r["total"]),
            "procedures.on_time_rate": Figure(s["in_time"], s["total"]),
            "procedures.late_rate": Figure(s["late"], s["total"]),
            "procedures.avg_processing_days": Figure(days, s["total"]),
            "procedures.satisfaction_rate": Figure(v["total"] - v["unhappy"], v["total"]),
        }
    return out


def commune_figures(commune, period_start: date, period_end: date) -> list[dict]:
    """Rows for the figures page: definition, figure, ready-to-show value."""
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=period_start, period_end=period_end
    )[commune.pk]
    rows = []
    for code, definition in FIGURE_DEFINITIONS.items():
        figure = figures[code]
        if definition.kind == "count":
            shown = str(figure.numerator)
        elif definition.kind == "average":
            shown = formats.number(figure.value, 1)
        else:
            shown = formats.percent(figure.percent)
        rows.append({"code": code, "definition": definition, "figure": figure, "shown": shown})
    return rows


def holidays(year: int | None = None) -> QuerySet[Holiday]:
    """Public holidays (all, or those of `year`)."""
    qs = Holiday.objects.all()
    return qs.filter(date__year=year) if year else qs


def working_days_after(start: date, days: int) -> date:
    """The one calendar of working days (weekends, the holidays officials record in
    `Holiday`, weekend days worked in exchange) for every app's deadlines in days."""
    return calendar().add_days(start, days)

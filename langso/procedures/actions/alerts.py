"""Deadline alerts: dossiers not acknowledged within 8 working hours, due within one working
day, or past their deadline. Each alert is written once per dossier, kind and official,
and e-mailed after the transaction commits."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.people.models import RoleAssignment

from ..models import AlertKind, Channel, Dossier, Notification, State, alert_message
from ..permissions import DESK_ROLES
from ..working_time import MINUTES_PER_DAY, calendar

# The clock is paused while a supplement is awaited, so those dossiers are not flagged.
_RUNNING = [State.SUBMITTED, State.RECEIVED, State.PROCESSING, State.SUPPLEMENTED]


def _desk_officials(commune_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for ra in RoleAssignment.objects.filter(
        unit_id__in=commune_ids, role__in=DESK_ROLES
    ).select_related("user"):
        if ra.user.is_active and ra.user not in out.setdefault(ra.unit_id, []):
            out[ra.unit_id].append(ra.user)
    return out


@transaction.atomic
def flag_dossiers(*, now: datetime | None = None, commune_ids=None) -> int:
    """Create the missing alerts; returns how many notifications were written."""
    now = now or timezone.now()
    soon = calendar().add_minutes(now, MINUTES_PER_DAY)
    base = Dossier.objects.select_related("commune")
    if commune_ids is not None:
        base = base.filter(commune_id__in=list(commune_ids))
    found: list[tuple[str, Dossier]] = []
    for d in base.filter(state=State.SUBMITTED, channel=Channel.ONLINE, receipt_due_at__lt=now):
        found.append((AlertKind.RECEIPT_LATE, d))
    for d in base.filter(state__in=_RUNNING, due_at__lt=now):
        found.append((AlertKind.OVERDUE, d))
    for d in base.filter(state__in=_RUNNING, due_at__gte=now, due_at__lte=soon):
        found.append((AlertKind.DUE_SOON, d))
    if not found:
        return 0
    officials = _desk_officials({d.commune_id for _k, d in found})
    existing = set(
        Notification.objects.filter(dossier__in=[d for _k, d in found]).values_list(
            "dossier_id", "kind", "recipient_id"
        )
    )
    rows = []
    for kind, dossier in found:
        recipients = (
            [dossier.handler]
            if dossier.handler is not None
            else officials.get(dossier.commune_id, [])
        )
        for user in recipients:
            if (dossier.pk, kind, user.pk) in existing:
                continue
            rows.append(
                Notification(
                    recipient=user,
                    dossier=dossier,
                    kind=kind,
                    message=alert_message(kind, dossier)[:300],
                )
            )
    Notification.objects.bulk_create(rows)
    mails = [
        (
            _("[Làng Số] Cảnh báo hạn hồ sơ"),
            row.message,
            settings.DEFAULT_FROM_EMAIL,
            [row.recipient.email],
        )
        for row in rows
        if row.recipient.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(rows)


@transaction.atomic
def mark_notifications_read(*, actor, ids=None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())

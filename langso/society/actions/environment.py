import secrets
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.places.models import AdminUnit

from ..exceptions import NotAllowed, StationTokenInvalid, UnknownParameter
from ..models import Alert, Limit, Parameter, Reading, ReadingSource, Station
from ..models.environment import hash_token
from ..permissions import can_manage


def limit_for(parameter: Parameter, station_kind: str, on: datetime) -> Limit | None:
    """The limit in force for `parameter` on the date of `on` (local time)."""
    day = timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return (
        Limit.objects.filter(parameter=parameter, station_kind=station_kind, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def create_station(
    *,
    actor: Actor | None,
    commune: AdminUnit,
    code: str,
    name: str,
    kind: str,
    latitude: float,
    longitude: float,
) -> tuple[Station, str]:
    """Create a station; returns it with its ingest token, shown once (only a hash is kept)."""
    if actor is not None and not can_manage(actor, commune):
        raise NotAllowed("Chỉ cán bộ xã được tạo trạm quan trắc.")
    token = secrets.token_urlsafe(24)
    station = Station(
        commune=commune,
        code=code,
        name=name,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        token_hash=hash_token(token),
    )
    validate(station)
    station.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=station)
    return station, token


@transaction.atomic
def rotate_station_token(*, actor: Actor, station: Station) -> str:
    if not can_manage(actor, station.commune):
        raise NotAllowed("Chỉ cán bộ xã được đổi khoá của trạm.")
    token = secrets.token_urlsafe(24)
    station.token_hash = hash_token(token)
    station.save(update_fields=["token_hash", "updated_at"])
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=station, changed=["token_hash"]
    )
    return token


def station_for_token(code: str, token: str) -> Station:
    station = Station.objects.select_related("commune").filter(code=code, is_active=True).first()
    if (
        station is None
        or not token
        or not secrets.compare_digest(station.token_hash, hash_token(token))
    ):
        raise StationTokenInvalid("Mã trạm hoặc khoá gửi số liệu không đúng.")
    return station


def _notify_alert(alert_id: int) -> None:
    from langso.people.queries import officials_of

    alert = Alert.objects.select_related("station__commune").get(pk=alert_id)
    emails = [u.email for u in officials_of(alert.station.commune) if u.email]
    if emails:
        send_mail(
            subject=f"[Làng Số] Cảnh báo chất lượng nước: {alert.station.name}",
            message=alert.message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=emails,
            fail_silently=True,
        )


def record_reading(
    *,
    actor: Actor | None,
    station: Station,
    parameter_code: str,
    observed_at: datetime,
    value: float,
    source: str = ReadingSource.MANUAL,
    client_id: str = "",
) -> tuple[Reading, bool]:
    """Store one reading; returns (reading, created). Idempotent: the same client id, or the
    same station, parameter and instant, returns the stored reading instead of a second one,
    so a sensor that retries after a lost response never duplicates nor loses a reading."""
    if source == ReadingSource.MANUAL and not can_manage(actor, station.commune):
        raise NotAllowed("Chỉ cán bộ xã được nhập kết quả quan trắc.")
    parameter = Parameter.objects.filter(code=parameter_code).first()
    if parameter is None:
        raise UnknownParameter("Chỉ tiêu không có trong danh mục.", parameter=parameter_code)
    existing = _existing(station, parameter, observed_at, client_id)
    if existing is not None:
        return existing, False
    limit = limit_for(parameter, station.kind, observed_at)
    reading = Reading(
        station=station,
        parameter=parameter,
        observed_at=observed_at,
        value=float(value),
        source=source,
        client_id=client_id or "",
        limit=limit,
        within_limits=limit.allows(float(value)) if limit else None,
        entered_by=actor if actor is not None and actor.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            reading.save()
            if reading.within_limits is False and limit is not None:
                alert = Alert.objects.create(
                    reading=reading,
                    station=station,
                    message=(
                        f"{station.name}: {parameter.name} = {reading.value:g} "
                        f"{parameter.unit} ngoài giới hạn {limit.describe()} "
                        f"({limit.standard}), đo lúc "
                        f"{timezone.localtime(observed_at):%d/%m/%Y %H:%M}."
                    ),
                )
                transaction.on_commit(lambda: _notify_alert(alert.pk))
    except IntegrityError:
        # a concurrent retry stored it first
        existing = _existing(station, parameter, observed_at, client_id)
        if existing is None:
            raise
        return existing, False
    return reading, True


def _existing(station, parameter, observed_at, client_id) -> Reading | None:
    q = Q(station=station, parameter=parameter, observed_at=observed_at)
    if client_id:
        q |= Q(station=station, client_id=client_id)
    return Reading.objects.filter(q).first()


@transaction.atomic
def acknowledge_alert(*, actor: Actor, alert: Alert) -> Alert:
    if not can_manage(actor, alert.station.commune):
        raise NotAllowed("Chỉ cán bộ xã được xử lý cảnh báo.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        audit.record_change(
            actor=actor, action=AuditAction.UPDATE, target=alert, changed=["acknowledged_at"]
        )
    return alert

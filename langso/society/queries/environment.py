"""Stations and readings. Water quality is public information; entering readings is not."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from ..models import Alert, Parameter, Reading, Station


def stations_visible_to(user, commune) -> QuerySet[Station]:
    return Station.objects.filter(commune=commune, is_active=True).annotate(
        open_alerts=Count("alerts", filter=Q(alerts__acknowledged_at__isnull=True))
    )


def get_station(code: str) -> Station | None:
    return Station.objects.select_related("commune").filter(code=code, is_active=True).first()


def parameters_of(station: Station) -> QuerySet[Parameter]:
    return Parameter.objects.filter(readings__station=station).distinct().order_by("code")


def series(
    station: Station,
    parameter: Parameter,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Reading]:
    qs = Reading.objects.filter(station=station, parameter=parameter).select_related("limit")
    if since:
        qs = qs.filter(observed_at__gte=since)
    if until:
        qs = qs.filter(observed_at__lte=until)
    return list(qs.order_by("observed_at"))


def alerts_of(commune, *, open_only: bool = False) -> QuerySet[Alert]:
    qs = Alert.objects.filter(station__commune=commune).select_related(
        "station", "reading__parameter"
    )
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs

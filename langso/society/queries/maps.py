"""Map layers as GeoJSON. Visibility is decided here, server-side, for every layer."""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from langso.places import queries as places_queries
from langso.places.models import AdminUnit, Hamlet, Level, Structure

from ..exceptions import NotAllowed
from ..models import (
    Alert,
    DigitalAddress,
    DiseaseCase,
    LayerSource,
    MapFeature,
    MapLayer,
    Station,
    Visibility,
)
from ..permissions import is_commune_official

logger = logging.getLogger(__name__)

#: an epidemic count below this is published as "< 3", never exactly
SMALL_COUNT = 3
EPIDEMIC_WINDOW_DAYS = 90


def default_commune(user=None) -> AdminUnit | None:
    """The commune a map opens on: the user's own, else the first commune with layers."""
    from langso.people.permissions import scoped_unit_ids

    if user is not None and getattr(user, "is_authenticated", False):
        ids = scoped_unit_ids(user)
        unit = AdminUnit.objects.filter(pk__in=ids, level=Level.COMMUNE).first()
        if unit is not None:
            return unit
    unit = AdminUnit.objects.filter(map_layers__isnull=False).order_by("code").first()
    return (
        unit
        or AdminUnit.objects.filter(structure=Structure.Y2025, level=Level.COMMUNE)
        .order_by("code")
        .first()
    )


def commune_by_code(code: str | None, user=None) -> AdminUnit | None:
    if code:
        return places_queries.commune_by_code(code, current=True)
    return default_commune(user)


def layers_visible_to(user, commune: AdminUnit) -> QuerySet[MapLayer]:
    qs = MapLayer.objects.filter(commune=commune)
    if not is_commune_official(user, commune):
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs.order_by("position", "name")


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _collection(layer: MapLayer, features: list[dict]) -> dict:
    return {
        "type": "FeatureCollection",
        "layer": {
            "slug": layer.slug,
            "name": layer.name,
            "color": layer.color,
            "visibility": layer.visibility,
            "source": layer.source,
        },
        "features": features,
    }


def layer_geojson(user, commune: AdminUnit, slug: str) -> dict:
    layer = layers_visible_to(user, commune).filter(slug=slug).first()
    if layer is None:
        # Same answer for "no such layer" and "not yours": no hint that it exists.
        raise NotAllowed("Không có lớp bản đồ này hoặc bạn không được xem.")
    builders: dict[str, Callable[[Any, MapLayer], list[dict]]] = {
        LayerSource.FEATURES: _features,
        LayerSource.HOUSEHOLDS: _households,
        LayerSource.EPIDEMIC: _epidemic,
        LayerSource.GROWING_AREAS: _growing_areas,
        LayerSource.STATIONS: _stations,
    }
    builder = builders[layer.source]
    return _collection(layer, builder(user, layer))


def _features(user, layer: MapLayer) -> list[dict]:
    out = []
    for f in MapFeature.objects.filter(layer=layer, is_active=True):
        props = {"name": f.name, "description": f.description, **(f.properties or {})}
        if f.photo:
            props["photo"] = f.photo.url
        out.append({"type": "Feature", "id": f.pk, "geometry": f.geometry, "properties": props})
    return out


def _households(user, layer: MapLayer) -> list[dict]:
    # Only reached by officials of the commune: the layer is officials-only by construction.
    if not is_commune_official(user, layer.commune):
        return []
    rows = DigitalAddress.objects.filter(commune=layer.commune).values_list(
        "code", "latitude", "longitude", "household__hamlet__name"
    )
    return [
        {
            "type": "Feature",
            "geometry": _point(lon, lat),
            "properties": {"name": code, "hamlet": hamlet or ""},
        }
        for code, lat, lon, hamlet in rows
    ]


def epidemic_counts(commune: AdminUnit, *, days: int = EPIDEMIC_WINDOW_DAYS) -> list[dict]:
    """Cases of the last `days` days by hamlet and disease; small counts suppressed."""
    since = timezone.localdate() - timedelta(days=days)
    rows = (
        DiseaseCase.objects.filter(commune=commune, reported_on__gte=since)
        .values("hamlet_id", "disease")
        .annotate(n=Count("id"))
    )
    hamlets = {h.pk: h for h in Hamlet.objects.filter(commune=commune)}
    out = []
    for row in rows:
        hamlet = hamlets.get(row["hamlet_id"])
        if hamlet is None or hamlet.latitude is None:
            continue
        n = row["n"]
        out.append(
            {
                "hamlet": hamlet.name,
                "disease": row["disease"],
                "cases": n if n >= SMALL_COUNT else None,
                "cases_label": str(n) if n >= SMALL_COUNT else f"< {SMALL_COUNT}",
                "lat": hamlet.latitude,
                "lon": hamlet.longitude,
            }
        )
    return out


def _epidemic(user, layer: MapLayer) -> list[dict]:
    # Points are the hamlet's centre, never a household: see docs/society.md.
    return [
        {
            "type": "Feature",
            "geometry": _point(r["lon"], r["lat"]),
            "properties": {
                "name": f"{r['disease']} — {r['hamlet']}",
                "hamlet": r["hamlet"],
                "disease": r["disease"],
                "cases": r["cases"],
                "cases_label": r["cases_label"],
                "period_days": EPIDEMIC_WINDOW_DAYS,
            },
        }
        for r in epidemic_counts(layer.commune)
    ]


def growing_areas_geojson_or_empty(commune: AdminUnit) -> dict:
    """The economy app's growing areas if it provides them (branch `economy`), else none."""
    try:
        from langso.economy.queries import growing_areas_geojson
    except ImportError:
        return {"type": "FeatureCollection", "features": []}
    try:
        return growing_areas_geojson(commune)
    except Exception:  # another app's failure must not break the whole map
        logger.exception("growing_areas_geojson failed for %s", commune.code)
        return {"type": "FeatureCollection", "features": []}


def _growing_areas(user, layer: MapLayer) -> list[dict]:
    return list(growing_areas_geojson_or_empty(layer.commune).get("features", []))


def _stations(user, layer: MapLayer) -> list[dict]:
    open_alerts = dict(
        Alert.objects.filter(station__commune=layer.commune, acknowledged_at__isnull=True)
        .values("station_id")
        .annotate(n=Count("id"))
        .values_list("station_id", "n")
    )
    out = []
    for s in Station.objects.filter(commune=layer.commune, is_active=True):
        out.append(
            {
                "type": "Feature",
                "geometry": _point(s.longitude, s.latitude),
                "properties": {
                    "name": s.name,
                    "kind": s.get_kind_display(),
                    "code": s.code,
                    "open_alerts": open_alerts.get(s.pk, 0),
                    "url": reverse("society:station", args=[s.code]),
                },
            }
        )
    return out

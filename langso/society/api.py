"""Society API: map layers as GeoJSON, address lookup, sensor ingest (per-station token),
offline sync of help sessions and the FHIR export of a health record."""

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from langso.core.exceptions import DomainError, NotFound
from langso.core.idempotency import idempotent

from .actions.environment import record_reading, station_for_token
from .actions.teams import log_help_session
from .fhir import record_to_bundle
from .models import ReadingSource
from .queries import addresses as address_queries
from .queries import maps as map_queries
from .queries import teams as team_queries
from .queries.health import get_health_record
from .schemas import (
    AddressOut,
    HelpSessionResult,
    HelpSessionsIn,
    HelpSessionsOut,
    LayerOut,
    ReadingResult,
    ReadingsIn,
    ReadingsOut,
)

router = Router(tags=["society"])


def _commune(request, code: str | None):
    commune = map_queries.commune_by_code(code, request.user)
    if commune is None:
        raise NotFound("Không tìm thấy xã.")
    return commune


@router.get("/layers", response=list[LayerOut])
def list_layers(request: HttpRequest, commune: str | None = None):
    unit = _commune(request, commune)
    return [
        LayerOut(
            slug=layer.slug,
            name=layer.name,
            color=layer.color,
            visibility=layer.visibility,
            source=layer.source,
            shown_by_default=layer.shown_by_default,
            url=f"/api/society/layers/{layer.slug}.geojson?commune={unit.code}",
        )
        for layer in map_queries.layers_visible_to(request.user, unit)
    ]


@router.get("/layers/{slug}.geojson", url_name="society_layer")
def layer_geojson(request: HttpRequest, slug: str, commune: str | None = None):
    """A layer as a GeoJSON FeatureCollection. Officials-only layers answer 403 to others."""
    return map_queries.layer_geojson(request.user, _commune(request, commune), slug)


def _address_out(view) -> AddressOut:
    return AddressOut(
        code=view.code,
        olc=view.olc,
        latitude=view.latitude,
        longitude=view.longitude,
        commune=view.commune_name,
        hamlet=view.hamlet_name,
        head_of_household=view.head_name,
        resolved_from=view.resolved_from,
        directions_url=view.directions_url,
    )


@router.get("/addresses/{code}", response=AddressOut)
def get_address(request: HttpRequest, code: str):
    """Resolve a digital address code (current or old) to its point."""
    return _address_out(address_queries.lookup_address(request.user, code))


@router.get("/addresses", response=list[AddressOut])
def search_addresses(request: HttpRequest, q: str = ""):
    return [_address_out(v) for v in address_queries.search_addresses(request.user, q)]


@router.post("/stations/{code}/readings", response=ReadingsOut, auth=None)
@idempotent("society.readings")
def ingest_readings(request: HttpRequest, code: str, payload: ReadingsIn):
    """Sensor ingest. Header `Authorization: Bearer <station token>`. Safe to retry: a
    reading already stored (same id, or same parameter and instant) answers "duplicate"."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    station = station_for_token(code, token)
    results, created_n, dup_n = [], 0, 0
    for item in payload.readings:
        try:
            reading, created = record_reading(
                actor=None,
                station=station,
                parameter_code=item.parameter,
                observed_at=item.observed_at,
                value=item.value,
                source=ReadingSource.SENSOR,
                client_id=item.id,
            )
        except DomainError as exc:
            results.append(
                ReadingResult(
                    id=item.id,
                    parameter=item.parameter,
                    observed_at=item.observed_at,
                    status="error",
                    code=exc.code,
                )
            )
            continue
        created_n += created
        dup_n += not created
        results.append(
            ReadingResult(
                id=item.id or str(reading.pk),
                parameter=item.parameter,
                observed_at=reading.observed_at,
                status="created" if created else "duplicate",
                within_limits=reading.within_limits,
            )
        )
    return ReadingsOut(station=station.code, created=created_n, duplicates=dup_n, results=results)


@router.post(
    "/help-sessions", response=HelpSessionsOut, auth=django_auth, url_name="society_help_sessions"
)
def sync_help_sessions(request: HttpRequest, payload: HelpSessionsIn):
    """Sync help sessions queued on a phone. Each carries the UUID the phone made; sending
    the same one again answers "duplicate" and stores nothing."""
    results = []
    teams = team_queries.teams_by_id({s.team for s in payload.sessions})
    for item in payload.sessions:
        try:
            team = teams.get(item.team)
            if team is None:
                raise NotFound("Không tìm thấy tổ.")
            household = None
            if item.household_code:
                household = address_queries.household_by_code(team.commune, item.household_code)
                if household is None:
                    raise NotFound("Không tìm thấy hộ có mã này trong xã.")
            _, created = log_help_session(
                actor=request.user,
                session_id=item.id,
                team=team,
                topic=item.topic,
                occurred_at=item.occurred_at,
                household=household,
                people_helped=item.people_helped,
                notes=item.notes,
            )
            results.append(
                HelpSessionResult(id=item.id, status="created" if created else "duplicate")
            )
        except DomainError as exc:
            results.append(
                HelpSessionResult(id=item.id, status="error", code=exc.code, detail=exc.message)
            )
    return HelpSessionsOut(results=results)


@router.get("/health/{resident_id}/fhir", auth=django_auth, url_name="society_health_fhir")
def health_fhir(request: HttpRequest, resident_id: int, purpose: str = ""):
    """A resident's health record as a FHIR R4 Bundle. `purpose` must be one the caller's
    basis covers: `care` or `transfer` for the commune's health staff, the purpose of an
    active consent (`consent-<id>` or its text) for anyone else, omitted for the resident
    (empty: the caller's first purpose). A purpose not covered is 403
    `society.purpose_not_covered`. The export is logged with the purpose used."""
    record = get_health_record(
        user=request.user, resident_id=resident_id, purpose=purpose, export=True
    )
    return record_to_bundle(record)

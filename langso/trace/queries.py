"""Reads of the traceability app: the one door to batches and events, the public scan page's
content, the EPCIS query, and the figures for monitoring."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.core.figures import Figure, FigureDefinition

from .identifiers import batch_qr_uri
from .models import ApiKey, Batch, EventKind, ScanCount, TraceEvent
from .permissions import producer_scope_q


def active_api_key(key_hash: str) -> ApiKey | None:
    """The unrevoked API key with this hash, with its producer and commune."""
    return (
        ApiKey.objects.select_related("producer", "producer__commune")
        .filter(key_hash=key_hash, revoked_at__isnull=True)
        .first()
    )


def batches_visible_to(user):
    """Batches a producer member, official or inspector of the unit may manage or inspect."""
    if getattr(user, "is_superuser", False):
        qs = Batch.objects.all()
    elif isinstance(user, ApiKey):
        qs = Batch.objects.filter(producer_id=user.producer_id)
    else:
        ids = Batch.objects.filter(producer_scope_q(user, prefix="producer__")).values("pk")
        qs = Batch.objects.filter(pk__in=ids)
    return qs.select_related("product", "producer", "growing_area", "commune")


def products_batchable_by(user):
    """Products for which the user may create batches (members and managing officials)."""
    from langso.economy.models import Product

    from .permissions import MANAGING_ROLES

    if getattr(user, "is_superuser", False):
        qs = Product.objects.all()
    else:
        ids = Product.objects.filter(
            producer_scope_q(user, roles=MANAGING_ROLES, prefix="producer__")
        ).values("pk")
        qs = Product.objects.filter(pk__in=ids)
    return qs.select_related("producer").order_by("producer__name", "name")


def events_visible_to(user):
    if getattr(user, "is_superuser", False):
        qs = TraceEvent.objects.all()
    elif isinstance(user, ApiKey):
        qs = TraceEvent.objects.filter(producer_id=user.producer_id)
    else:
        ids = TraceEvent.objects.filter(producer_scope_q(user, prefix="producer__")).values("pk")
        qs = TraceEvent.objects.filter(pk__in=ids)
    return qs


def get_public_batch(*, gtin: str = "", product_public_id: str = "", lot: str):
    qs = Batch.objects.select_related(
        "product", "producer", "growing_area", "commune", "producer__commune", "producer__hamlet"
    )
    if gtin:
        return qs.filter(gtin=gtin, lot=lot).first()
    return qs.filter(product__public_id=product_public_id, lot=lot, gtin="").first()


def effective_events(batch: Batch, exclude: AbstractSet[int] = frozenset()):
    """The batch's events that still count: not error declarations, not declared wrong."""
    return batch.events.filter(is_error_declaration=False, error_declarations__isnull=True).exclude(
        pk__in=list(exclude)
    )


def ancestors_of(batch: Batch, depth: int = 3, events: list | None = None) -> list[Batch]:
    """Batches this one was processed from (one step back, recursively, a few levels).
    `events`: the batch's own events when already read (bulk rendering): a batch with no
    processing among them has no ancestors, and no query is made."""
    if events is not None and not any(
        ev.kind == EventKind.PROCESSING and not ev.is_error_declaration for ev in events
    ):
        return []
    found: list[Batch] = []
    frontier = [batch]
    for _level in range(depth):
        next_ids: set[int] = set()
        for b in frontier:
            for ev in effective_events(b).filter(kind=EventKind.PROCESSING):
                if b.pk in ev.details.get("input_batch_ids", []):
                    continue
                next_ids.update(ev.details.get("input_batch_ids", []))
        frontier = list(
            Batch.objects.filter(pk__in=next_ids).exclude(pk__in=[b.pk for b in found] + [batch.pk])
        )
        if not frontier:
            break
        found.extend(frontier)
    return found


def batches_made_from(batch_ids: set[int], depth: int = 3) -> set[int]:
    """Batches processed from these, a few levels down: their scan pages tell these
    batches' story too. (Other inputs of the same processing may be included: harmless for
    the one use, dropping cached pages.)"""
    found: set[int] = set()
    frontier = set(batch_ids)
    for _level in range(depth):
        if not frontier:
            break
        made = (
            set(
                Batch.objects.filter(
                    events__kind=EventKind.PROCESSING, events__batches__in=frontier
                ).values_list("pk", flat=True)
            )
            - found
            - set(batch_ids)
        )
        found |= made
        frontier = made
    return found


class EventRow:
    """The fields of an event the scan page reads: built from plain rows when a million
    pages are rendered, ten times cheaper than model instances."""

    FIELDS = (
        "pk",
        "kind",
        "details",
        "event_time",
        "record_time",
        "quantity",
        "disposition",
        "is_error_declaration",
        "declared_wrong_id",
        "corrects_id",
    )
    __slots__ = FIELDS

    def __init__(self, values):
        # one unpacking rather than a setattr per field: ten of these per page rendered
        (
            self.pk,
            self.kind,
            self.details,
            self.event_time,
            self.record_time,
            self.quantity,
            self.disposition,
            self.is_error_declaration,
            self.declared_wrong_id,
            self.corrects_id,
        ) = values


def prefetch_scan_events(batches: Sequence[Batch]) -> dict[int, list[EventRow]]:
    """Each batch's own events, oldest first, read with one query (bulk page rendering)."""
    through = TraceEvent.batches.through
    out: dict[int, list[EventRow]] = {b.pk: [] for b in batches}
    columns = ["traceevent_id" if f == "pk" else f"traceevent__{f}" for f in EventRow.FIELDS]
    rows = (
        through.objects.filter(batch_id__in=list(out))
        .order_by("traceevent__event_time", "traceevent__record_time", "traceevent_id")
        .values_list("batch_id", *columns)
    )
    for row in rows:
        out[row[0]].append(EventRow(row[1:]))
    return out


# --- EPCIS query (GET /events) --------------------------------------------------------------


def _parse_when(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def query_events(user, params: dict) -> tuple[list[TraceEvent], str]:
    """EPCIS 2.0 query parameters: eventType, EQ_bizStep, EQ_disposition, GE_/LT_eventTime,
    GE_/LT_recordTime, EQ_bizLocation, EQ_readPoint, MATCH_epc, MATCH_anyEPC,
    MATCH_epcClass, EQ_eventID, plus our `product` (public id) and `lot`; `perPage` and
    `nextPageToken` (keyset paging on event time, bound to the query it came from).
    Returns (events, token of the next page or "")."""
    qs = events_visible_to(user)
    if params.get("eventType"):
        qs = qs.filter(event_type__in=params["eventType"].split(","))
    if params.get("EQ_bizStep"):
        steps = []
        for s in params["EQ_bizStep"].split(","):
            steps += [s, s.rsplit("-", 1)[-1] if s.startswith("https://ref.gs1.org/cbv/") else s]
        qs = qs.filter(biz_step__in=steps)
    if params.get("EQ_disposition"):
        qs = qs.filter(disposition__in=params["EQ_disposition"].split(","))
    for key, field, op in (
        ("GE_eventTime", "event_time", "gte"),
        ("LT_eventTime", "event_time", "lt"),
        ("GE_recordTime", "record_time", "gte"),
        ("LT_recordTime", "record_time", "lt"),
    ):
        if params.get(key):
            qs = qs.filter(**{f"{field}__{op}": _parse_when(params[key])})
    if params.get("EQ_bizLocation"):
        qs = qs.filter(biz_location__in=params["EQ_bizLocation"].split(","))
    if params.get("EQ_readPoint"):
        qs = qs.filter(read_point__in=params["EQ_readPoint"].split(","))
    if params.get("EQ_eventID"):
        qs = qs.filter(event_id__in=params["EQ_eventID"].split(","))
    for key in ("MATCH_epc", "MATCH_anyEPC", "MATCH_epcClass", "MATCH_anyEPCClass"):
        if params.get(key):
            cond = Q()
            for epc in params[key].split(","):
                cond |= Q(epcs__contains=f" {epc.strip()} ")
            qs = qs.filter(cond)
    if params.get("product"):
        qs = qs.filter(batches__product__public_id=params["product"])
    if params.get("lot"):
        qs = qs.filter(batches__lot=params["lot"])
    limit = int(params.get("perPage") or 500)
    if not 1 <= limit <= 1000:
        raise ValueError("perPage phải từ 1 đến 1000")
    qs = qs.distinct().order_by("event_time", "pk")
    if params.get("nextPageToken"):
        after_time, after_pk = _read_page_token(params)
        qs = qs.filter(Q(event_time__gt=after_time) | Q(event_time=after_time, pk__gt=after_pk))
    rows = list(qs[: limit + 1])
    next_token = _page_token(params, rows[limit - 1]) if len(rows) > limit else ""
    return rows[:limit], next_token


_PAGE_SALT = "langso.trace.events-page"


def _query_digest(params: dict) -> str:
    """What a page token is bound to: the query without the paging parameters."""
    import hashlib

    kept = sorted((k, v) for k, v in params.items() if k not in ("nextPageToken", "perPage"))
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:16]


def _page_token(params: dict, last: TraceEvent) -> str:
    from django.core import signing

    return signing.dumps(
        {"t": last.event_time.isoformat(), "i": last.pk, "q": _query_digest(params)},
        salt=_PAGE_SALT,
        compress=True,
    )


def _read_page_token(params: dict) -> tuple[datetime, int]:
    from django.core import signing

    try:
        data = signing.loads(params["nextPageToken"], salt=_PAGE_SALT)
    except signing.BadSignature as exc:
        raise ValueError("nextPageToken không hợp lệ") from exc
    if data.get("q") != _query_digest(params):
        raise ValueError("nextPageToken thuộc một truy vấn khác")
    return datetime.fromisoformat(data["t"]), int(data["i"])


def capture_jobs_visible_to(actor):
    """Capture jobs: a key sees its own, a person those they sent."""
    from .models import CaptureJob

    if getattr(actor, "is_superuser", False):
        return CaptureJob.objects.all()
    if isinstance(actor, ApiKey):
        return CaptureJob.objects.filter(api_key=actor)
    return CaptureJob.objects.filter(created_by=actor)


def batch_documents(batch: Batch) -> list[dict]:
    return [e.document for e in batch.events.order_by("event_time", "record_time", "pk")]


# --- public scan page ---------------------------------------------------------------------


def _economy_extras(product, producer) -> dict:
    """OCOP stars and the marketplace / VietQR links come from `langso.economy` when it
    provides them (branch `economy`: `queries.current_ocop_certificate`, the URL names
    `economy:product_detail` and `economy:producer_qr`); without them the scan page leaves
    those parts out."""
    from django.urls import NoReverseMatch, reverse

    extras: dict = {"ocop_stars": None, "market_url": "", "vietqr_url": ""}
    try:
        from langso.economy import queries as economy_queries
    except ImportError:
        economy_queries = None  # type: ignore[assignment]  # economy is an optional app
    current = getattr(economy_queries, "current_ocop_certificate", None)
    if current is not None:
        certificate = current(product)
        stars = getattr(certificate, "star", None) if certificate else None
        extras["ocop_stars"] = int(stars) if stars else None
        extras["ocop_changes_on"] = _next_ocop_change(product)
    if product.is_listed:
        try:
            extras["market_url"] = reverse("economy:product_detail", args=[product.public_id])
        except NoReverseMatch:
            pass
    account_of = getattr(economy_queries, "default_bank_account", None)
    if account_of is not None and account_of(producer) is not None:
        try:
            extras["vietqr_url"] = reverse("economy:producer_qr", args=[producer.public_id])
        except NoReverseMatch:
            pass
    return extras


def _next_ocop_change(product) -> date | None:
    """The next day an OCOP certificate of the product starts, ends or is revoked: the
    stars shown can change then without any edit."""
    from langso.economy.models import Certificate, CertificateKind

    today = timezone.localdate()
    days = []
    for start, end, revoked in Certificate.objects.filter(
        kind=CertificateKind.OCOP, product=product
    ).values_list("valid_from", "valid_to", "revoked_at"):
        days += [d for d in (start, end + timedelta(days=1), revoked) if d and d > today]
    return min(days, default=None)


def product_trace_url(product) -> str | None:
    """Hook for economy's product page: the scan page of the product's latest batch."""
    from .identifiers import batch_path

    batch = product.batches.order_by("-created_at", "-pk").first()
    return batch_path(batch) if batch else None


def batch_timeline(
    batch: Batch, ancestors: list[Batch] | None = None, events: list[TraceEvent] | None = None
) -> list[dict]:
    """The batch's events and those of the batches it was made from, oldest first; an
    event declared wrong stays, marked, next to its correction. `events`: the batch's own
    events, oldest first, when already read."""
    from .timeline import event_lines, labels

    if ancestors is None:
        ancestors = ancestors_of(batch, events=events)
    rows: Iterable[TraceEvent]
    if ancestors:
        rows = list(
            TraceEvent.objects.filter(batches__in=[batch, *ancestors])
            .distinct()
            .order_by("event_time", "record_time", "pk")
        )
        own_ids = set(batch.events.values_list("pk", flat=True))
    else:
        rows = (
            events
            if events is not None
            else batch.events.order_by("event_time", "record_time", "pk")
        )
        own_ids = None
    items, declared = [], {}
    for ev in rows:
        if ev.is_error_declaration:
            if ev.declared_wrong_id:
                declared[ev.declared_wrong_id] = ev
            continue
        items.append(ev)
    by_id = {ev.pk: ev for ev in items}
    out = []
    here = timezone.get_current_timezone()  # as timezone.localtime, looked up once
    gettext = labels()  # the language, looked up once too
    for ev in items:
        place, lines = event_lines(ev, batch, gettext)
        out.append(
            {
                "event": ev,
                "declared": declared.get(ev.pk),
                "own": own_ids is None or ev.pk in own_ids,
                "corrects": by_id.get(ev.corrects_id),
                "place": place,
                "lines": lines,
                "local_time": ev.event_time.astimezone(here),
            }
        )
    return out


#: columns the scan page never shows: repeated beside each event, their timestamps cost
#: more to decode than the rest of the batch's row; the instance has them deferred
_UNSHOWN_COLUMNS = frozenset({"created_at", "updated_at"})


def _batch_columns() -> list[str]:
    return [f.attname for f in Batch._meta.concrete_fields if f.attname not in _UNSHOWN_COLUMNS]


def _with_events(batches):
    """Each batch's columns, then one of its events' (none: NULLs), oldest event first.
    An event's record time is shown only when it declares another one wrong: only then is
    it read (a timestamp costs more to decode than the rest of the event's columns)."""
    shown_record_time = models.Case(
        models.When(events__is_error_declaration=True, then=models.F("events__record_time")),
        default=None,
        output_field=TraceEvent._meta.get_field("record_time"),
    )
    events = [
        "events__id" if f == "pk" else shown_record_time if f == "record_time" else f"events__{f}"
        for f in EventRow.FIELDS
    ]
    return batches.order_by(
        "pk", "events__event_time", "events__record_time", "events__id"
    ).values_list(*_batch_columns(), *events)


def _batch_by_gtin(gtin, lot):
    return _with_events(Batch.objects.filter(gtin=gtin, lot=lot))


def _batch_by_product(public_id, lot):
    return _with_events(Batch.objects.filter(product__public_id=public_id, lot=lot, gtin=""))


_SCAN_READS: dict = {}
_SCAN_READS_LOCK = threading.Lock()


def _scan_reads() -> dict:
    if _SCAN_READS:
        return _SCAN_READS
    with _SCAN_READS_LOCK:  # a worker's threads start together: one set of reads
        return _make_scan_reads()


def _make_scan_reads() -> dict:
    if not _SCAN_READS:
        from langso.economy.models import Product

        from .prepared import CompiledRead

        def batch_field(name: str) -> models.Field:
            field = Batch._meta.get_field(name)
            assert isinstance(field, models.Field)  # a field, not a reverse relation
            return field

        public_id = Product._meta.get_field("public_id")
        assert isinstance(public_id, models.Field)
        _SCAN_READS.update(
            gtin=CompiledRead(_batch_by_gtin, [batch_field("gtin"), batch_field("lot")]),
            product=CompiledRead(_batch_by_product, [public_id, batch_field("lot")]),
        )
    return _SCAN_READS


def scan_page_batch(
    *, gtin: str = "", product_public_id: str = "", lot: str, known: dict | None = None
):
    """(batch, its own events oldest first) of a scanned path, or None: one query (the
    batch's row repeated beside each of its events), all a scan page needs when its shared
    part is already known (pages.py). `known`: product, producer and growing area already
    read, by (model, pk); the batch takes them from there, or from one query more each,
    which then lands in `known`."""
    reads = _scan_reads()
    if gtin:
        _names, rows = reads["gtin"].rows(gtin, lot, using=Batch.objects.db)
    else:
        _names, rows = reads["product"].rows(product_public_id, lot, using=Batch.objects.db)
    if not rows:
        return None
    columns = _batch_columns()
    width = len(columns)
    batch = Batch.from_db(Batch.objects.db, columns, rows[0][:width])
    _attach_shared_objects(batch, {} if known is None else known)
    events = [
        EventRow(row[width:]) for row in rows if row[0] == batch.pk and row[width] is not None
    ]
    return batch, events


def _attach_shared_objects(batch: Batch, known: dict) -> None:
    from langso.economy.models import GrowingArea, Producer, Product

    for field, model, related in (
        ("product", Product, ()),
        ("producer", Producer, ("commune", "hamlet")),
        ("growing_area", GrowingArea, ()),
    ):
        pk = getattr(batch, f"{field}_id")
        if pk is None:
            continue
        if (model, pk) not in known:
            known[(model, pk)] = model.objects.select_related(*related).get(pk=pk)
        setattr(batch, field, known[(model, pk)])


def scan_page_context(
    batch: Batch, *, memo: dict | None = None, events: dict[int, list[TraceEvent]] | None = None
) -> dict:
    """What the public scan page shows, in two parts:
    - `shared` (keyed by `shared_key`): product, producer, growing area, certificates valid
      on the harvest day, OCOP, market and payment links: the same for every batch of a
      product harvested on the same day, so rendered once per rendering run;
    - `fills`: what differs from batch to batch, already rendered (lot, dates, timeline).
    `memo`: parts shared by the batches of one run; `events`: own events already read per
    batch. `changes_on`: the next day the page can change with no new data (OCOP
    certificates starting or ending; "today" standing in for a missing harvest date)."""
    memo = {} if memo is None else memo
    own = events.get(batch.pk) if events is not None else None
    ancestors = ancestors_of(batch, events=own)
    shared_key, area, harvested_on = scan_shared_key(batch, ancestors)
    shared = scan_shared_context(batch, shared_key, area, memo)
    return {
        "shared_key": shared_key,
        "shared": shared,
        "changes_on": shared["changes_on"],
        "fills": scan_page_fills(batch, ancestors, own, harvested_on),
    }


def scan_page_fills(batch: Batch, ancestors: list[Batch], own_events, harvested_on) -> dict:
    """The parts of the scan page that differ from batch to batch, rendered."""
    from .timeline import scan_batch_card, scan_batch_line, scan_timeline_html

    return {
        "lot_slot": batch.lot,
        "batch_line": scan_batch_line(batch),
        "batch_card": scan_batch_card(batch, harvested_on),
        "timeline_html": scan_timeline_html(batch_timeline(batch, ancestors, events=own_events)),
        "qr_slot": batch_qr_uri(batch),
    }


def scan_shared_key(batch: Batch, ancestors: list[Batch]):
    """(key of the shared part, growing area, harvest date) of a batch's page; no query.
    A processed batch grew where its raw material did, and was harvested when it was."""
    area = batch.growing_area
    if area is None:
        area = next((a.growing_area for a in ancestors if a.growing_area_id), None)
    harvested_on = batch.harvested_on or max(
        (a.harvested_on for a in ancestors if a.harvested_on), default=None
    )
    harvest_day = harvested_on or batch.packed_on or timezone.localdate()
    key = (batch.product_id, batch.producer_id, getattr(area, "pk", None), harvest_day)
    return key, area, harvested_on


def scan_shared_context(batch: Batch, shared_key: tuple, area, memo: dict) -> dict:
    """The shared part of a batch's page (see scan_page_context), read once per `memo`."""
    if ("shared", *shared_key) not in memo:
        memo[("shared", *shared_key)] = _shared_context(
            batch.product, batch.producer, area, shared_key[-1], timezone.localdate(), memo
        )
    return memo[("shared", *shared_key)]


def batch_public_facts(batch: Batch) -> dict:
    """What the scan page shows of the product, producer, certificates valid on the harvest
    day and the market / VietQR links (the resolver's linkset is made of them)."""
    shared_key, area, _harvested_on = scan_shared_key(batch, ancestors_of(batch))
    return scan_shared_context(batch, shared_key, area, {})


def _shared_context(product, producer, area, harvest_day, today, memo: dict) -> dict:
    key: tuple = ("certificates", producer.pk)
    if key not in memo:
        memo[key] = list(producer.certificates.select_related("growing_area", "product"))
    certs = [
        c
        for c in memo[key]
        if (c.product_id in (None, product.pk))
        and (c.growing_area_id in (None, getattr(area, "pk", None)))
        and c.is_valid_on(harvest_day)
    ]
    key = ("extras", product.pk, producer.pk)
    if key not in memo:
        memo[key] = _economy_extras(product, producer)
    extras = memo[key]
    changes = [
        d
        for d in (
            extras.get("ocop_changes_on"),
            today + timedelta(days=1) if harvest_day == today else None,
        )
        if d
    ]
    lat = area.latitude if area and area.latitude else producer.latitude
    lon = area.longitude if area and area.longitude else producer.longitude
    return {
        "product": product,
        "producer": producer,
        "area": area,
        "certificates": certs,
        "certificates_day": harvest_day,
        "lat": lat,
        "lon": lon,
        "map_svg": _map_svg(area, lat, lon),
        "province_options": _province_options(),
        "changes_on": min(changes, default=None),
        **extras,
    }


_PROVINCES: list[tuple[str, str]] = []


def _provinces() -> list[tuple[str, str]]:
    """The 2025 provinces (the list changes by law, not at run time: kept per process)."""
    if _PROVINCES:
        return _PROVINCES
    from langso.places.models import AdminUnit, Level, Structure

    _PROVINCES[:] = (
        AdminUnit.objects.filter(structure=Structure.Y2025, level=Level.PROVINCE)
        .order_by("name")
        .values_list("code", "name")
    )
    return _PROVINCES


def _province_options() -> str:
    """The <option>s of the province question on the scan page (same on every page)."""
    from django.utils.html import format_html_join

    if not _PROVINCE_OPTIONS:
        _PROVINCE_OPTIONS.append(
            format_html_join("", '<option value="{}">{}</option>', _provinces())
        )
    return _PROVINCE_OPTIONS[0]


_PROVINCE_OPTIONS: list = []


def province_codes() -> set[str]:
    return {code for code, _name in _provinces()}


def _map_svg(area, lat, lon) -> str:
    """A tiny inline map: the growing area's outline (GeoJSON polygon) or a pin, in SVG."""
    if lat is None or lon is None:
        return ""
    ring = None
    boundary = getattr(area, "boundary", None) if area else None
    if isinstance(boundary, dict):
        geom = boundary.get("geometry", boundary)
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if geom.get("type") == "Polygon" and coords:
            ring = coords[0]
        elif geom.get("type") == "MultiPolygon" and coords:
            ring = coords[0][0]
    pts = ring or [[lon, lat]]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    # fit the outline in 180 x 100 px of the 200 x 120 box (1 degree of longitude is
    # narrower than one of latitude by cos(latitude), ~0.93 here: ignored at this size)
    width, height = max(max(xs) - min(xs), 0.002), max(max(ys) - min(ys), 0.002)
    scale = min(180 / width, 100 / height)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def xy(p):
        return (f"{100 + (p[0] - cx) * scale:.1f}", f"{60 - (p[1] - cy) * scale:.1f}")

    shape = ""
    if ring:
        shape = (
            '<polygon fill="#2e7d3255" stroke="#2e7d32" stroke-width="2" points="'
            + " ".join(",".join(xy(p)) for p in ring)
            + '"/>'
        )
    pin_x, pin_y = xy([lon, lat])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 120" width="200" '
        'height="120" role="img" aria-label="Vị trí vùng trồng">'
        '<rect width="200" height="120" fill="#eef3e6"/>'
        f'{shape}<circle cx="{pin_x}" cy="{pin_y}" r="5" fill="#c62828"/></svg>'
    )


def scan_totals(batch: Batch) -> dict:
    rows = ScanCount.objects.filter(batch=batch)
    total = rows.aggregate(n=Sum("count"))["n"] or 0
    by_place = list(
        rows.exclude(province_code="")
        .values("province_code")
        .annotate(n=Sum("count"))
        .order_by("-n")
    )
    by_day = list(rows.values("day").annotate(n=Sum("count")).order_by("-day")[:30])
    return {"total": total, "by_place": by_place, "by_day": by_day}


# --- figures --------------------------------------------------------------------------------

FIGURE_DEFINITIONS = {
    "trace.batches": FigureDefinition(
        code="trace.batches",
        label=str(_("Số lô sản phẩm được ghi nhật ký truy xuất")),
        kind="count",
        description=str(_("Số lô tạo mới trong kỳ, theo xã của chủ thể.")),
    ),
    "trace.products_traceable": FigureDefinition(
        code="trace.products_traceable",
        label=str(_("Tỷ lệ sản phẩm có tem QR truy xuất nguồn gốc")),
        kind="rate",
        description=str(
            _(
                "Sản phẩm đang hiển thị có ít nhất một lô đã in tem QR / sản phẩm "
                "đang hiển thị của các chủ thể trong xã."
            )
        ),
    ),
}


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    from langso.economy.models import Product

    start = timezone.make_aware(datetime.combine(period_start, time.min))
    end = timezone.make_aware(datetime.combine(period_end + timedelta(days=1), time.min))
    created = dict(
        Batch.objects.filter(commune_id__in=unit_ids, created_at__gte=start, created_at__lt=end)
        .values_list("commune_id")
        .annotate(n=Count("pk"))
    )
    listed = dict(
        Product.objects.filter(producer__commune_id__in=unit_ids, is_listed=True)
        .values_list("producer__commune_id")
        .annotate(n=Count("pk"))
    )
    traceable = dict(
        Product.objects.filter(
            producer__commune_id__in=unit_ids, is_listed=True, batches__labelled=True
        )
        .values_list("producer__commune_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return {
        uid: {
            "trace.batches": Figure(created.get(uid, 0)),
            "trace.products_traceable": Figure(traceable.get(uid, 0), listed.get(uid, 0)),
        }
        for uid in unit_ids
    }

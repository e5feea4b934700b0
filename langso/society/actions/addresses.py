from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import Household
from langso.places.models import AdminUnit

from .. import addressing
from ..exceptions import GridFull, NoPoint, NotAllowed
from ..models import AddressAlias, DigitalAddress
from ..permissions import can_manage


def _used_codes(prefixes: set[str]) -> set[str]:
    used: set[str] = set()
    for prefix in prefixes:
        used.update(
            DigitalAddress.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )
        used.update(
            AddressAlias.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )
    return used


def _new_code(commune_code: str, latitude: float, longitude: float, used: set[str]) -> str:
    code = addressing.next_free_code(commune_code, latitude, longitude, used)
    if code is None:
        raise GridFull("Ô lưới này đã hết mã, hãy dịch điểm sang ô bên cạnh.")
    used.add(code)
    return code


@transaction.atomic
def place_address_point(
    *, actor: Actor, household: Household, latitude: float, longitude: float
) -> DigitalAddress:
    """Place or correct a household's point. The first placement issues the code; later
    corrections move the point and its Open Location Code but keep the code."""
    if not can_manage(actor, household.commune):
        raise NotAllowed("Chỉ cán bộ xã được định vị địa chỉ số.")
    address = DigitalAddress.objects.select_for_update().filter(household=household).first()
    olc = addressing.open_location_code(latitude, longitude)
    if address is None:
        prefix = f"{household.commune.code}-{addressing.grid_of(latitude, longitude)}"
        code = _new_code(household.commune.code, latitude, longitude, _used_codes({prefix}))
        address = DigitalAddress(
            household=household,
            commune=household.commune,
            code=code,
            olc=olc,
            latitude=latitude,
            longitude=longitude,
            valid_from=timezone.localdate(),
            placed_by=actor,
        )
        validate(address)
        address.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.CREATE,
            target=address,
            changed=["code", "latitude", "longitude"],
        )
        return address
    address.latitude, address.longitude, address.olc = latitude, longitude, olc
    address.placed_by = actor
    validate(address)
    address.save(update_fields=["latitude", "longitude", "olc", "placed_by", "updated_at"])
    audit.record_change(
        actor=actor,
        action=AuditAction.UPDATE,
        target=address,
        changed=["latitude", "longitude", "olc"],
    )
    return address


@transaction.atomic
def issue_addresses(
    *, actor: Actor | None, commune: AdminUnit, valid_from: date | None = None
) -> int:
    """Issue a digital address to every household of `commune` that has a point and no
    address yet, in one bulk insert. Returns how many were issued."""
    if actor is not None and not can_manage(actor, commune):
        raise NotAllowed("Chỉ cán bộ xã được cấp địa chỉ số.")
    pending = list(
        Household.objects.filter(
            commune=commune,
            digital_address__isnull=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("code")
        .only("id", "latitude", "longitude")
    )
    if not pending:
        return 0
    used = _used_codes({f"{commune.code}-"})
    start = valid_from or timezone.localdate()
    rows = []
    for hh in pending:
        if hh.latitude is None or hh.longitude is None:  # excluded by the query above
            continue
        rows.append(
            DigitalAddress(
                household_id=hh.pk,
                commune=commune,
                code=_new_code(commune.code, hh.latitude, hh.longitude, used),
                olc=addressing.open_location_code(hh.latitude, hh.longitude),
                latitude=hh.latitude,
                longitude=hh.longitude,
                valid_from=start,
                placed_by=actor,
            )
        )
    DigitalAddress.objects.bulk_create(rows, batch_size=1000)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="society.DigitalAddress",
        object_repr=f"{len(rows)} địa chỉ số",
        unit=commune,
        fields={"issued": len(rows)},
    )
    return len(rows)


@transaction.atomic
def recode_after_unit_change(
    *, actor: Actor, old_commune: AdminUnit, new_commune: AdminUnit, effective: date
) -> int:
    """After an administrative change (merger, rename of code), move the addresses of the
    households now in `new_commune` that still carry `old_commune`, issue codes under the
    new commune code and keep every old code as an alias that still resolves."""
    if not can_manage(actor, new_commune):
        raise NotAllowed("Chỉ cán bộ của đơn vị mới được chuyển địa chỉ số.")
    addresses = list(
        DigitalAddress.objects.select_for_update().filter(
            commune=old_commune, household__commune=new_commune
        )
    )
    if not addresses:
        return 0
    used = _used_codes({f"{new_commune.code}-"})
    aliases = []
    for address in addresses:
        aliases.append(
            AddressAlias(
                address=address,
                code=address.code,
                reason=AddressAlias.Reason.UNIT_CHANGE,
                valid_from=address.valid_from,
                valid_to=effective - timedelta(days=1),
            )
        )
        used.add(address.code)
    AddressAlias.objects.bulk_create(aliases)
    for address in addresses:
        address.code = _new_code(new_commune.code, address.latitude, address.longitude, used)
        address.commune = new_commune
        address.valid_from = effective
    DigitalAddress.objects.bulk_update(
        addresses, ["code", "commune", "valid_from"], batch_size=1000
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="society.DigitalAddress",
        object_repr=f"{old_commune.code} → {new_commune.code}",
        unit=new_commune,
        fields={"recoded": len(addresses)},
    )
    return len(addresses)


def require_point(latitude, longitude) -> tuple[float, float]:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise NoPoint("Chưa có toạ độ hợp lệ.") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise NoPoint("Chưa có toạ độ hợp lệ.")
    return lat, lon

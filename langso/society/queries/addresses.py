"""Reading digital addresses. A public lookup shows the code, hamlet and point; residents'
names only to officials of the commune (and to the household itself)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from langso.core.text import fold
from langso.people.models import OFFICIAL_ROLES, Household
from langso.people.permissions import scoped_unit_ids, unit_scope_q

from .. import addressing
from ..exceptions import AddressCodeInvalid, AddressNotFound
from ..models import AddressAlias, DigitalAddress
from ..permissions import is_commune_official


@dataclass(frozen=True)
class AddressView:
    code: str
    olc: str
    latitude: float
    longitude: float
    commune_name: str
    hamlet_name: str
    head_name: str | None  # None unless the viewer may see names
    resolved_from: str | None  # the old code the visitor typed, if any
    household_id: int | None  # only for officials

    @property
    def directions_url(self) -> str:
        return (
            "https://www.openstreetmap.org/directions?route=%3B"
            f"{self.latitude:.6f}%2C{self.longitude:.6f}"
        )

    @property
    def osm_url(self) -> str:
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude:.6f}"
            f"&mlon={self.longitude:.6f}#map=18/{self.latitude:.6f}/{self.longitude:.6f}"
        )


def _base() -> QuerySet[DigitalAddress]:
    return DigitalAddress.objects.select_related("commune", "household__hamlet", "household__head")


def may_see_names(user, address: DigitalAddress) -> bool:
    if is_commune_official(user, address.commune):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.roles.filter(household_id=address.household_id).exists()
    )


def view_of(user, address: DigitalAddress, resolved_from: str | None = None) -> AddressView:
    names = may_see_names(user, address)
    hh = address.household
    return AddressView(
        code=address.code,
        olc=address.olc,
        latitude=address.latitude,
        longitude=address.longitude,
        commune_name=address.commune.name,
        hamlet_name=hh.hamlet.name if hh.hamlet is not None else "",
        head_name=(hh.head.full_name if names and hh.head is not None else None),
        resolved_from=resolved_from,
        household_id=hh.pk if is_commune_official(user, address.commune) else None,
    )


def resolve_address(code: str) -> tuple[DigitalAddress, str | None]:
    """The address for a current or old code; the second value is the old code if an
    alias matched."""
    code = addressing.normalize(code)
    if not addressing.is_well_formed(code):
        raise AddressCodeInvalid("Mã địa chỉ số không đúng (sai ký tự kiểm tra?).")
    address = _base().filter(code=code).first()
    if address is not None:
        return address, None
    alias = AddressAlias.objects.filter(code=code).first()
    if alias is not None:
        return _base().get(pk=alias.address_id), code
    raise AddressNotFound("Không tìm thấy địa chỉ số này.")


def lookup_address(user, code: str) -> AddressView:
    address, old = resolve_address(code)
    return view_of(user, address, old)


def may_search_names(user) -> bool:
    """Whether the lookup offers search by head of household: officials only. Anyone else
    searches by code and hamlet (a household finds its own by name, but is not offered it)."""
    return bool(getattr(user, "is_superuser", False) or scoped_unit_ids(user, OFFICIAL_ROLES))


def search_addresses(user, text: str, *, limit: int = 20) -> list[AddressView]:
    """By code (exact, old codes too) or by hamlet / head of household, without diacritics.
    Anyone may search; names in the results only for those allowed to see them."""
    text = (text or "").strip()
    if not text:
        return []
    try:
        return [lookup_address(user, text)]
    except (AddressCodeInvalid, AddressNotFound):
        pass
    words = fold(text).split()
    if not words or len(text) < 3:
        return []
    # A household's search key holds its head's name: match it only where the user may see
    # names (its commune's officials, the household itself); elsewhere only the hamlet, so
    # nobody can find where a named person lives.
    by_key, by_hamlet = Q(), Q()
    for word in words:
        by_key &= Q(search_key__contains=word)
        by_hamlet &= Q(hamlet__search_key__contains=word)
    names_visible = unit_scope_q(user, "commune", OFFICIAL_ROLES)
    if getattr(user, "is_authenticated", False):
        names_visible |= Q(pk__in=user.roles.filter(household__isnull=False).values("household_id"))
    households = Household.objects.filter(digital_address__isnull=False).filter(
        (by_key & names_visible) | by_hamlet
    )
    addresses = _base().filter(household__in=households.values("pk")).order_by("code")[:limit]
    return [view_of(user, a) for a in addresses]


def addresses_visible_to(user) -> QuerySet[DigitalAddress]:
    """Addresses with their household, for officials' lists and the households layer."""
    return _base().filter(unit_scope_q(user, "commune", OFFICIAL_ROLES))


def household_by_id(household_id) -> Household | None:
    """The household to place on the map (the view checks who may); unscoped."""
    return Household.objects.select_related("commune", "hamlet").filter(pk=household_id).first()


def household_by_code(commune, code: str) -> Household | None:
    return Household.objects.filter(commune=commune, code=code).first()


def address_of_household(household) -> DigitalAddress | None:
    return DigitalAddress.objects.filter(household=household).first()

"""Reads of administrative units. Units are public data: no visibility filter needed."""

from django.db.models import Prefetch, Q, QuerySet

from langso.core.text import fold

from .models import AdminUnit, Hamlet, Level, Structure, UnitSuccession


def get_unit(
    code: str, *, level: str = Level.COMMUNE, structure: str = Structure.Y2025
) -> AdminUnit:
    return AdminUnit.objects.select_related("parent").get(
        structure=structure, level=level, code=code
    )


def unit_with_ancestors(structure: str, level: str, code: str) -> AdminUnit:
    """The unit with its parent and grandparent; raises AdminUnit.DoesNotExist."""
    return AdminUnit.objects.select_related("parent", "parent__parent").get(
        structure=structure, level=level, code=code
    )


def successions_from(unit: AdminUnit) -> QuerySet[UnitSuccession]:
    """The succession rows from a legacy `unit` to the 2025 units it became, primary first."""
    return (
        UnitSuccession.objects.filter(legacy=unit)
        .select_related("successor", "successor__parent", "successor__parent__parent")
        .order_by("-is_primary", "successor__name")
    )


def successions_into(unit: AdminUnit) -> QuerySet[UnitSuccession]:
    """The succession rows from the legacy units merged into a 2025 `unit`."""
    return (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("legacy", "legacy__parent", "legacy__parent__parent")
        .order_by("legacy__name")
    )


def commune_by_code(code: str | None, *, current: bool = False) -> AdminUnit | None:
    """The one lookup of a commune by its official code (?xa=, ?commune=, the API).

    Codes of the 2025 structure and of the legacy one overlap: the current unit wins. With
    `current`, a code that names only a legacy commune leads to the 2025 commune it became
    (its primary successor), for pages that show only current communes.
    """
    code = (code or "").strip()
    if not code:
        return None
    units = AdminUnit.objects.select_related("parent").filter(level=Level.COMMUNE, code=code)
    unit = units.filter(structure=Structure.Y2025).first() or units.first()
    if unit is not None and current and unit.structure == Structure.LEGACY:
        return primary_successor(unit)
    return unit


def search_units(
    text: str, *, structure: str | None = None, level: str | None = None, limit: int = 20
) -> QuerySet[AdminUnit]:
    """Find units by name or code, with or without diacritics ('tuc tranh' finds 'Tức Tranh')."""
    key = fold(text)
    qs = AdminUnit.objects.select_related("parent", "parent__parent")
    if structure:
        qs = qs.filter(structure=structure)
    if level:
        qs = qs.filter(level=level)
    if key.isdigit():
        return qs.filter(code=key)[:limit]
    words = key.split()
    for word in words:
        qs = qs.filter(search_key__contains=word)
    return qs.order_by("structure", "level", "name")[:limit]


def communes_within(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The commune-level units inside `unit` (itself if it is a commune)."""
    qs = AdminUnit.objects.filter(level=Level.COMMUNE, structure=unit.structure)
    if unit.level == Level.COMMUNE:
        return qs.filter(pk=unit.pk)
    return qs.filter(Q(parent=unit) | Q(parent__parent=unit))


def successors_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """2025 communes a legacy commune became part of (primary first)."""
    return AdminUnit.objects.filter(predecessions__legacy=unit).order_by(
        "-predecessions__is_primary", "name"
    )


def predecessors_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """Legacy communes that merged (wholly or partly) into a 2025 commune."""
    return (
        AdminUnit.objects.filter(successions__successor=unit)
        .select_related("parent", "parent__parent")
        .order_by("name")
    )


def primary_successor(unit: AdminUnit) -> AdminUnit | None:
    return successors_of(unit).filter(predecessions__is_primary=True).first()


def list_hamlets(commune: AdminUnit) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(commune=commune).order_by("name")


def hamlet_by_code(commune: AdminUnit, code: str) -> Hamlet | None:
    """The hamlet of `commune` with `code` (inactive ones too), or None."""
    return Hamlet.objects.filter(commune=commune, code=code).first()


def commune_of(unit_ids, *, with_parent: bool = False) -> AdminUnit | None:
    """The first commune-level unit among `unit_ids` (by pk), or None."""
    qs = AdminUnit.objects.filter(pk__in=unit_ids, level=Level.COMMUNE).order_by("pk")
    if with_parent:
        qs = qs.select_related("parent")
    return qs.first()


def full_name(unit: AdminUnit) -> str:
    """'Xã Tức Tranh, Huyện Phú Lương, Tỉnh Thái Nguyên' (parents must be loaded)."""
    names = []
    node: AdminUnit | None = unit
    while node is not None:
        names.append(node.name)
        node = node.parent
    return ", ".join(names)


def with_mapping(qs: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
    """Units with their successors and predecessors loaded in two extra queries."""
    from .models import UnitSuccession

    return qs.prefetch_related(
        Prefetch(
            "successions",
            queryset=UnitSuccession.objects.select_related(
                "successor", "successor__parent"
            ).order_by("-is_primary", "successor__name"),
        ),
        Prefetch(
            "predecessions",
            queryset=UnitSuccession.objects.select_related(
                "legacy", "legacy__parent", "legacy__parent__parent"
            ).order_by("legacy__name"),
        ),
    )


def home_commune() -> AdminUnit | None:
    """The commune this installation serves (`LANGSO_HOME_COMMUNE`, a 2025 commune code; the
    demo's Xã Vô Tranh by default): the home page and the public pages show it."""
    from django.conf import settings

    code = getattr(settings, "LANGSO_HOME_COMMUNE", "05641")
    return (
        AdminUnit.objects.select_related("parent")
        .filter(structure=Structure.Y2025, level=Level.COMMUNE, code=code)
        .first()
    )

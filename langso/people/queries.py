"""Reads of households and residents. The one door: `households_visible_to`,
`residents_visible_to`. Reading a citizen ID unmasked goes through `reveal_resident`, which
logs the read."""

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, Q, QuerySet

from langso.core import audit
from langso.core.exceptions import NotFound, PermissionDenied
from langso.core.figures import Figure, FigureDefinition
from langso.core.text import fold
from langso.places.models import AdminUnit, Hamlet, Level

from .models import PERSONAL_DATA_ROLES, Household, Resident, Role, User
from .permissions import holds_role, scoped_unit_ids, unit_scope_q

# Roles whose holders may change households and see full citizen IDs of their commune.
FULL_ID_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})


def households_visible_to(user) -> QuerySet[Household]:
    qs = Household.objects.select_related("commune", "hamlet", "head")
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = Q(
        pk__in=user.roles.filter(role=Role.RESIDENT, household__isnull=False).values("household_id")
    )
    return qs.filter(unit_scope_q(user, "commune", PERSONAL_DATA_ROLES) | own)


def residents_visible_to(user) -> QuerySet[Resident]:
    qs = Resident.objects.select_related("household", "commune", "household__hamlet")
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = Q(
        household_id__in=user.roles.filter(role=Role.RESIDENT, household__isnull=False).values(
            "household_id"
        )
    )
    return qs.filter(unit_scope_q(user, "commune", PERSONAL_DATA_ROLES) | own)


def can_see_citizen_id(user, resident: Resident) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    if getattr(resident, "user_id", None) and resident.user_id == user.pk:
        return True
    return holds_role(user, FULL_ID_ROLES, resident.commune)


def can_edit_population(user, commune) -> bool:
    return holds_role(user, FULL_ID_ROLES, commune)


def can_browse_population(user) -> bool:
    """Officials with personal-data roles, and residents (who see their own household)."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(scoped_unit_ids(user, [*PERSONAL_DATA_ROLES, Role.RESIDENT]))


def communes_visible_to(user) -> QuerySet[AdminUnit]:
    """Commune-level units whose population the user may see as an official."""
    qs = AdminUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
    if getattr(user, "is_superuser", False):
        return qs.filter(households__isnull=False).distinct().order_by("name")
    return qs.filter(unit_scope_q(user, "self", PERSONAL_DATA_ROLES)).order_by("name")


def communes_editable_by(user) -> QuerySet[AdminUnit]:
    qs = AdminUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
    if getattr(user, "is_superuser", False):
        return qs.filter(households__isnull=False).distinct().order_by("name")
    return qs.filter(unit_scope_q(user, "self", FULL_ID_ROLES)).order_by("name")


def hamlets_visible_to(user, commune=None) -> QuerySet[Hamlet]:
    qs = Hamlet.objects.filter(unit_scope_q(user, "commune", PERSONAL_DATA_ROLES))
    if commune is not None:
        qs = qs.filter(commune=commune)
    return qs.order_by("name")


def list_households(
    user, *, text: str = "", hamlet_id: int | None = None, commune=None
) -> QuerySet[Household]:
    """Households the user may see, searched by code, hamlet, address or head's name
    (with or without diacritics), with their member count, in one query."""
    qs = search_households(user, text) if text.strip() else households_visible_to(user)
    if commune is not None:
        qs = qs.filter(commune=commune)
    if hamlet_id:
        qs = qs.filter(hamlet_id=hamlet_id)
    return qs.annotate(member_count=Count("members")).order_by("commune__name", "code")


def reveal_resident(*, user, resident_id: int, purpose: str) -> Resident:
    """Return a resident with the right to read their full citizen ID; logs the read.

    Raises NotFound outside the user's scope (no hint that the resident exists) and
    PermissionDenied (logged) when the user sees the resident but not the full ID.
    """
    resident = residents_visible_to(user).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound("Không tìm thấy nhân khẩu.")
    if not can_see_citizen_id(user, resident):
        audit.record_refusal(actor=user, target=resident, purpose=purpose)
        raise PermissionDenied("Bạn không có quyền xem số CCCD đầy đủ.")
    audit.record_read(
        actor=user, target=resident, fields=["citizen_id", "date_of_birth"], purpose=purpose
    )
    return resident


def search_households(user, text: str) -> QuerySet[Household]:
    qs = households_visible_to(user)
    for word in fold(text).split():
        qs = qs.filter(Q(search_key__contains=word) | Q(hamlet__search_key__contains=word))
    return qs


def get_household_for(user, household_id: int) -> Household:
    household = households_visible_to(user).filter(pk=household_id).first()
    if household is None:
        raise NotFound("Không tìm thấy hộ gia đình.")
    return household


def officials_of(unit) -> QuerySet[User]:
    return User.objects.filter(
        roles__unit=unit,
        roles__role__in=[Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL, Role.HEALTH_WORKER],
    ).distinct()


def count_population(unit_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    out = {uid: {"households": 0, "residents": 0} for uid in unit_ids}
    for row in (
        Household.objects.filter(commune_id__in=unit_ids)
        .values("commune_id")
        .annotate(n=Count("id"))
    ):
        out[row["commune_id"]]["households"] = row["n"]
    for row in (
        Resident.objects.filter(commune_id__in=unit_ids)
        .values("commune_id")
        .annotate(n=Count("id"))
    ):
        out[row["commune_id"]]["residents"] = row["n"]
    return out


FIGURE_DEFINITIONS = {
    "people.households": FigureDefinition(
        "people.households", "Số hộ gia đình", "count", "Số hộ đang đăng ký trong xã."
    ),
    "people.residents": FigureDefinition(
        "people.residents", "Số nhân khẩu", "count", "Số nhân khẩu đang đăng ký trong xã."
    ),
}


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    counts = count_population(unit_ids)
    return {
        uid: {
            "people.households": Figure(c["households"]),
            "people.residents": Figure(c["residents"]),
        }
        for uid, c in counts.items()
    }

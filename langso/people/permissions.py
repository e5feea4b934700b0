"""Unit-scoped roles: one place that answers "which units may this user act on, and as what".

A role held on a unit covers that unit and every unit below it (a province officer sees all
communes of the province; a legacy district officer sees the legacy communes of the
district). Every `*_visible_to(user)` query builds its filter from `unit_scope_q`.
"""

from collections.abc import Iterable

from django.db.models import Q

from .models import OFFICIAL_ROLES, RoleAssignment


def active_assignments(user, roles: Iterable[str] | None = None):
    if not getattr(user, "is_authenticated", False):
        return RoleAssignment.objects.none()
    qs = RoleAssignment.objects.filter(user=user).select_related("unit")
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs


def user_cache(user) -> dict:
    """Answers about `user`'s scope, kept on the user object, which lives for one request
    (keys are tuples whose first item names the question). AnonymousUser keeps nothing."""
    cache = getattr(user, "_langso_scope_cache", None)
    if cache is None:
        cache = {}
        try:
            user._langso_scope_cache = cache
        except AttributeError:  # AnonymousUser is fine without caching
            pass
    return cache


def forget_scope(user) -> None:
    """Drop the request's answers about `user` after its roles changed (people.actions)."""
    vars(user).pop("_langso_scope_cache", None)


def _held(user) -> tuple[tuple[str, int], ...]:
    """Every (role, unit id) the user holds: one query a request, whatever is asked after."""
    cache = user_cache(user)
    if "held" not in cache:
        cache["held"] = tuple(active_assignments(user).values_list("role", "unit_id"))
    return cache["held"]


def scoped_unit_ids(user, roles: Iterable[str] | None = None) -> list[int]:
    # A frozenset (the roles constants) is its own key: sorting it again on each of an admin
    # page's hundred permission checks cost more than the lookup.
    if roles is not None and not isinstance(roles, frozenset):
        roles = tuple(sorted(roles))
    cache, key = user_cache(user), ("units", roles)
    if key not in cache:
        if not getattr(user, "is_authenticated", False):
            return []
        wanted = None if roles is None else set(roles)
        cache[key] = list(dict.fromkeys(u for r, u in _held(user) if wanted is None or r in wanted))
    return cache[key]


def unit_scope_q(user, field: str, roles: Iterable[str] | None = None) -> Q:
    """Q that keeps rows whose `field` (a FK to a commune-level AdminUnit) lies within one of
    the units on which `user` holds one of `roles`. Superusers see everything.
    `field="self"` filters an AdminUnit queryset itself."""
    if getattr(user, "is_superuser", False):
        return Q()
    unit_ids = scoped_unit_ids(user, roles)
    if not unit_ids:
        return Q(pk__in=[])
    prefix = "" if field == "self" else f"{field}__"
    own = "pk__in" if field == "self" else f"{field}__in"
    return (
        Q(**{own: unit_ids})
        | Q(**{f"{prefix}parent__in": unit_ids})
        | Q(**{f"{prefix}parent__parent__in": unit_ids})
    )


def holds_role(user, roles: Iterable[str], unit) -> bool:
    """Does `user` hold one of `roles` on `unit` or on a unit above it?"""
    if getattr(user, "is_superuser", False):
        return True
    if unit is None:
        return False
    chain = {unit.pk}
    parent = unit.parent
    while parent is not None:
        chain.add(parent.pk)
        parent = parent.parent
    return bool(set(scoped_unit_ids(user, roles)) & chain)


def is_official(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or scoped_unit_ids(user, OFFICIAL_ROLES))

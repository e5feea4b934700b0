"""Shared view helpers: which commune a page is about, and turning domain errors into pages."""

from django.http import Http404

from langso.people.permissions import scoped_unit_ids
from langso.places.models import AdminUnit
from langso.places.queries import commune_by_code, commune_of

from ..permissions import MANAGE_ROLES, READ_ROLES


def public_commune(request) -> AdminUnit:
    """?xa=<code> picks a 2025 commune; without it, the installation's home commune."""
    from langso.places.queries import home_commune

    code = request.GET.get("xa", "").strip()
    if code:
        unit = commune_by_code(code, current=True)
    else:
        unit = home_commune()
    if unit is None:
        raise Http404("commune")
    return unit


def official_commune(user, roles=MANAGE_ROLES) -> AdminUnit | None:
    """The commune an official works for (the first commune-level unit of their roles)."""
    ids = scoped_unit_ids(user, roles)
    return commune_of(ids, with_parent=True)


def reader_commune(user) -> AdminUnit | None:
    return official_commune(user, READ_ROLES)


STATUS_FOR = {403: 403, 404: 404, 409: 409, 422: 422, 400: 400}


def error_status(exc) -> int:
    return STATUS_FOR.get(getattr(exc, "http_status", 400), 400)

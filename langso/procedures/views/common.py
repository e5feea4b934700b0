"""Helpers shared by the resident pages and the officials' desk."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from langso.core.exceptions import DomainError, NotFound, PermissionDenied
from langso.people.permissions import active_assignments
from langso.places.models import Level

from ..permissions import DESK_ROLES

TRACKED_SESSION_KEY = "procedures_tracked"


def desk_commune(user):
    """The commune whose desk `user` works at (the first commune-level desk role)."""
    for ra in active_assignments(user, DESK_ROLES):
        if ra.unit.level == Level.COMMUNE:
            return ra.unit
    return None


def http_errors(view):
    """Turn NotFound / PermissionDenied into 404 / 403 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def flash_error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def remember_tracked(request, dossier) -> None:
    tracked = request.session.get(TRACKED_SESSION_KEY, [])
    key = str(dossier.public_id)
    if key not in tracked:
        request.session[TRACKED_SESSION_KEY] = [*tracked[-19:], key]


def was_tracked(request, public_id) -> bool:
    return str(public_id) in request.session.get(TRACKED_SESSION_KEY, [])

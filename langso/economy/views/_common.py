from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import get_object_or_404

from langso.core.exceptions import DomainError, PermissionDenied
from langso.places.queries import commune_by_code, home_commune

from ..models import Producer, Product
from ..permissions import can_edit_producer
from ..queries import producers_visible_to, products_visible_to


def market_commune(request):
    """The commune whose market is shown: ?commune=<code>, else the installation's commune."""
    code = request.GET.get("commune", "").strip()
    if code:
        unit = commune_by_code(code)
        if unit is None:
            raise Http404
        return unit
    return home_commune()


def get_producer(request, public_id) -> Producer:
    return get_object_or_404(producers_visible_to(request.user), public_id=public_id)


def get_product(request, public_id) -> Product:
    return get_object_or_404(products_visible_to(request.user), public_id=public_id)


def editable_producer(request, public_id) -> Producer:
    producer = get_producer(request, public_id)
    if not can_edit_producer(request.user, producer):
        raise Forbidden
    return producer


def form_error(form, exc: DomainError) -> None:
    """Show a domain error on the form (field-level when the action said which field)."""
    if isinstance(exc, PermissionDenied):
        raise Forbidden(exc.message) from exc
    fields = exc.details.get("fields") if exc.details else None
    if fields:
        for field, messages in fields.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, exc.message)

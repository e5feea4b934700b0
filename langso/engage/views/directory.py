from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from langso.core.exceptions import DomainError
from langso.people.models import OFFICIAL_ROLES
from langso.people.permissions import scoped_unit_ids
from langso.places.queries import commune_of

from .. import actions, queries
from ..forms import DirectoryEntryForm
from .common import error_status, public_commune


@require_GET
def index(request):
    """/engage/: the four ways a resident and the commune talk to each other."""
    return render(request, "engage/index.html", {"commune": public_commune(request)})


@require_GET
def directory(request):
    commune = public_commune(request)
    entries = [e.public_fields() for e in queries.public_directory(commune)]
    return render(request, "engage/directory.html", {"commune": commune, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def directory_me(request):
    """An official's own line: what it says and which parts are public."""
    unit = commune_of(scoped_unit_ids(request.user, OFFICIAL_ROLES))
    if unit is None:
        raise DjangoPermissionDenied
    entry = queries.own_directory_entry(request.user, unit)
    if entry is None:
        entry = actions.create_directory_entry(actor=request.user, user=request.user, unit=unit)
    form = DirectoryEntryForm(request.POST or None, instance=entry)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_directory_entry(
                    actor=request.user,
                    entry=queries.directory_entries_visible_to(request.user).get(pk=entry.pk),
                    **form.cleaned_data,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã lưu danh bạ của bạn."))
                return redirect("engage:directory_me")
        else:
            status = 422
    return render(
        request,
        "engage/directory_me.html",
        {"form": form, "entry": entry, "unit": unit},
        status=status,
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from langso.core.exceptions import NotFound
from langso.core.ratelimit import rate_limit
from langso.people.queries import search_households

from ..actions.addresses import issue_addresses, place_address_point
from ..exceptions import AddressCodeInvalid, AddressNotFound, NotAllowed
from ..forms import PointForm
from ..permissions import can_manage
from ..queries import addresses as address_queries
from ..queries.maps import default_commune
from .common import domain_errors


@rate_limit("society.address_lookup", per_minute=60)
def address_lookup(request):
    q = request.GET.get("q", "").strip()
    results = address_queries.search_addresses(request.user, q) if q else []
    commune = default_commune(request.user)
    manage = commune is not None and can_manage(request.user, commune)
    unplaced = (
        search_households(request.user, q).filter(digital_address__isnull=True)[:20]
        if manage and q
        else []
    )
    return render(
        request,
        "society/address_lookup.html",
        {
            "q": q,
            "results": results,
            "searched": bool(q),
            "can_issue": manage,
            "commune": commune,
            "unplaced": unplaced,
            "by_name": address_queries.may_search_names(request.user),
        },
    )


@domain_errors
def address_detail(request, code):
    try:
        view = address_queries.lookup_address(request.user, code)
    except AddressCodeInvalid:
        raise AddressNotFound("Không tìm thấy địa chỉ số này.") from None
    return render(request, "society/address_detail.html", {"address": view})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def address_place(request, household_id):
    household = address_queries.household_by_id(household_id)
    if household is None or not can_manage(request.user, household.commune):
        raise NotAllowed(_("Chỉ cán bộ xã được định vị địa chỉ số."))
    address = address_queries.address_of_household(household)
    initial = {
        "latitude": address.latitude
        if address
        else household.latitude or household.commune.latitude,
        "longitude": address.longitude
        if address
        else household.longitude or household.commune.longitude,
    }
    form = PointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        address = place_address_point(
            actor=request.user,
            household=household,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
        )
        messages.success(
            request, _("Đã lưu vị trí, mã địa chỉ số %(code)s.") % {"code": address.code}
        )
        return redirect("society:address_detail", code=address.code)
    return render(
        request,
        "society/address_place.html",
        {"household": household, "address": address, "form": form, "initial": initial},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@domain_errors
def address_issue(request):
    commune = default_commune(request.user)
    if commune is None:
        raise NotFound(_("Không tìm thấy xã."))
    n = issue_addresses(actor=request.user, commune=commune)
    messages.success(request, _("Đã cấp %(count)s mã địa chỉ số.") % {"count": n})
    return redirect("society:address_lookup")

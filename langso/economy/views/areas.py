from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from langso.core.exceptions import DomainError

from .. import actions
from ..models import CertificateKind
from ..permissions import is_commune_editor
from ..queries import (
    certificate_status,
    certificates_visible_to,
    growing_areas_geojson,
    growing_areas_visible_to,
    linkages_visible_to,
)
from ._common import market_commune


@require_GET
def area_list(request):
    commune = market_commune(request)
    areas = growing_areas_visible_to(request.user).filter(commune=commune)
    return render(request, "economy/area_list.html", {"commune": commune, "areas": areas})


@require_GET
def area_geojson(request):
    return JsonResponse(growing_areas_geojson(market_commune(request)))


@require_GET
def certificate_list(request):
    commune = market_commune(request)
    kind = request.GET.get("kind", "")
    qs = certificates_visible_to(request.user).filter(producer__commune=commune)
    if kind in CertificateKind.values:
        qs = qs.filter(kind=kind)
    rows = [(c, certificate_status(c)) for c in qs]
    return render(
        request,
        "economy/certificate_list.html",
        {
            "commune": commune,
            "rows": rows,
            "kind": kind,
            "kinds": CertificateKind.choices,
            "can_revoke": bool(commune) and is_commune_editor(request.user, commune),
        },
    )


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    cert = get_object_or_404(certificates_visible_to(request.user), pk=pk)
    if not is_commune_editor(request.user, cert.producer.commune):
        raise Forbidden
    try:
        actions.revoke_certificate(
            actor=request.user,
            certificate=cert,
            on=timezone.localdate(),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Đã thu hồi chứng nhận %(number)s.") % {"number": cert.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("economy:certificate_list")


@require_GET
def linkage_list(request):
    commune = market_commune(request)
    linkages = linkages_visible_to(request.user).filter(commune=commune)
    total = linkages.count()
    digital = linkages.filter(uses_digital_technology=True).count()
    return render(
        request,
        "economy/linkage_list.html",
        {"commune": commune, "linkages": linkages, "total": total, "digital": digital},
    )

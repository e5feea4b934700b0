from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import CertificateKind
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
    return render(request, "economy/certificate_list.html", {
        "commune": commune, "rows": rows, "kind": kind, "kinds": CertificateKind.choices})


@require_GET
def linkage_list(request):
    commune = market_commune(request)
    linkages = linkages_visible_to(request.user).filter(commune=commune)
    total = linkages.count()
    digital = linkages.filter(uses_digital_technology=True).count()
    return render(request, "economy/linkage_list.html", {
        "commune": commune, "linkages": linkages, "total": total, "digital": digital})

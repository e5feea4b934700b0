from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from langso.core.exceptions import NotFound

from ..models import LayerSource
from ..queries import maps as map_queries
from .common import domain_errors


@require_GET
@domain_errors
def map_page(request):
    commune = map_queries.commune_by_code(request.GET.get("commune"), request.user)
    if commune is None:
        raise NotFound("Chưa có xã nào trên bản đồ.")
    layers = [
        {
            "slug": layer.slug,
            "name": layer.name,
            "color": layer.color,
            "on": layer.shown_by_default,
            "officials": layer.visibility == "officials",
            # many small dots (a household each): drawn under the other layers' markers
            "underneath": layer.source == LayerSource.HOUSEHOLDS,
            "url": reverse("api:society_layer", kwargs={"slug": layer.slug})
            + f"?commune={commune.code}",
        }
        for layer in map_queries.layers_visible_to(request.user, commune)
    ]
    return render(
        request,
        "society/map.html",
        {
            "commune": commune,
            "layers": layers,
        },
    )

from django.shortcuts import render
from django.views.decorators.http import require_GET

from langso.core.ratelimit import rate_limit

from . import queries
from .models import Structure


@require_GET
@rate_limit("places.search", per_minute=60)
def search(request):
    """Search administrative units of both structures and show the old -> new mapping."""
    text = request.GET.get("q", "").strip()[:100]
    structure = request.GET.get("he", "")
    if structure not in Structure.values:
        structure = ""
    units = []
    if text:
        units = list(
            queries.with_mapping(queries.search_units(text, structure=structure or None, limit=30))
        )
    return render(
        request,
        "places/search.html",
        {
            "text": text,
            "structure": structure,
            "structures": Structure.choices,
            "units": [
                {
                    "unit": u,
                    "full_name": queries.full_name(u),
                    "successors": list(u.successions.all()),
                    "predecessors": list(u.predecessions.all()),
                }
                for u in units
            ],
        },
    )

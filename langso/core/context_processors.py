from django.conf import settings


def site(request):
    return {
        "LANGSO_TILE_URL": settings.LANGSO_TILE_URL,
        "LANGSO_TILE_ATTRIBUTION": settings.LANGSO_TILE_ATTRIBUTION,
    }

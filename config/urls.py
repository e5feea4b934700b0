from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api
from langso.core.media import public_media
from langso.site import views as site_views

urlpatterns: list = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", site_views.api_index, name="api_index"),
    path("api/", api.urls),
    path("", include("langso.site.urls")),
    path("places/", include("langso.places.urls")),
    path("people/", include("langso.people.urls")),
    path("procedures/", include("langso.procedures.urls")),
    path("documents/", include("langso.documents.urls")),
    path("economy/", include("langso.economy.urls")),
    path("society/", include("langso.society.urls")),
    path("engage/", include("langso.engage.urls")),
    path("monitor/", include("langso.monitor.urls")),
    # Public uploads only (product photos...); private files have views that check access.
    re_path(r"^media/(?P<path>.+)$", public_media, name="media"),
    # trace last: it owns the GS1 Digital Link paths at the root (/01/<gtin>/10/<lot>).
    path("", include("langso.trace.urls")),
]
handler400 = "langso.core.error_pages.bad_request"
handler403 = "langso.core.error_pages.permission_denied"
handler404 = "langso.core.error_pages.page_not_found"
handler500 = "langso.core.error_pages.server_error"

# The demo's test OpenID Connect provider, only where the settings enable it (the demo:
# config/settings/local.py); production.py sets LANGSO_DEMO_IDP = False. docs/sso.md.
if getattr(settings, "LANGSO_DEMO_IDP", False):
    urlpatterns.insert(-1, path("demo-idp/", include("langso.people.demo_idp.urls")))

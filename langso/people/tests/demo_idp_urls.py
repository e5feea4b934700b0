"""The demo's URLs for the tests: the project's, plus the test identity provider that
config/urls.py mounts only when the settings enable it at start (the demo)."""

from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urls

urlpatterns = [path("demo-idp/", include("langso.people.demo_idp.urls")), *project_urls]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

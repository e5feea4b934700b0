"""The project's URLs plus `/bench/trivial`: the baseline through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls


def trivial(request):
    return HttpResponse("ok")


# last, like the trace URLs (mounted last in config/urls.py), so both pay the same URL
# resolution: the comparison is then about the views, not their place in the URLconf
urlpatterns = [*project_urls[:-1], path("bench/trivial", trivial), project_urls[-1]]

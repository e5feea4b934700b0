"""The project's URLs plus `/bench/trivial`: the baseline through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", trivial), *project_urls]

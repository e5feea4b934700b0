from django.http import HttpResponse


def verify(request):
    return HttpResponse("")

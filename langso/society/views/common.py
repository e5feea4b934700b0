from functools import wraps

from django.shortcuts import render

from langso.core.exceptions import DomainError


def domain_errors(view):
    """Render a DomainError as a page with its HTTP status and Vietnamese message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(
                request,
                "society/error.html",
                {"message": exc.message, "code": exc.code},
                status=exc.http_status,
            )

    return wrapper

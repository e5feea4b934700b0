"""Endpoints of the demo's test identity provider (mounted under /demo-idp/ only when
LANGSO_DEMO_IDP is on: config/urls.py)."""

import base64
from binascii import Error as BinasciiError
from functools import wraps
from urllib.parse import unquote, urlencode, urlsplit

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.core.oidc import demo_idp_enabled
from langso.core.security import build_policy

from . import provider
from .directory import identities_for


def _enabled(view):
    @wraps(view)  # keeps csrf_exempt and the other markers of the view
    def wrapper(request, *args, **kwargs):
        if not demo_idp_enabled():  # the settings turned it off after the URLs were loaded
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _redirect(uri: str, **params: str) -> HttpResponseRedirect:
    separator = "&" if "?" in uri else "?"
    return HttpResponseRedirect(uri + separator + urlencode({k: v for k, v in params.items() if v}))


@_enabled
@require_GET
def discovery(request):
    return JsonResponse(provider.discovery())


@_enabled
@require_GET
def jwks(request):
    return JsonResponse(provider.jwks())


@_enabled
@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The provider's page: the request is checked, then the visitor picks a demo identity
    (POST), and the browser goes back to Làng Số with a code (or with access_denied)."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        client, auth = provider.parse_authorize(params)
    except provider.AuthorizeError as exc:
        if exc.redirectable:
            return _redirect(
                params["redirect_uri"],
                error=exc.error,
                error_description=exc.description,
                state=params.get("state", ""),
            )
        return render(request, "people/demo_idp/error.html", {"error": exc.description}, status=400)
    identities = identities_for(client.kind)
    if request.method == "POST":
        if request.POST.get("cancel"):
            return _redirect(auth.redirect_uri, error="access_denied", state=auth.state)
        chosen = next((i for i in identities if i.key == request.POST.get("identity")), None)
        if chosen is not None:
            code = provider.issue_code(auth, chosen.claims)
            return _redirect(auth.redirect_uri, code=code, state=auth.state)
    response = render(
        request,
        "people/demo_idp/authorize.html",
        {"client": client, "fields": auth.as_fields(), "identities": identities},
    )
    # The chosen identity's form ends in a redirect to Làng Số: allow that origin as a form
    # target (CSP form-action also governs where a form's redirect may lead).
    back = urlsplit(auth.redirect_uri)
    response["Content-Security-Policy"] = build_policy().replace(
        "form-action 'self'", f"form-action 'self' {back.scheme}://{back.netloc}"
    )
    return response


def _client_credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (BinasciiError, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def _token_error(error: str, description: str, status: int = 400) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="demo-idp"'
    return response


@_enabled
@csrf_exempt  # a server-to-server call, authenticated by the client secret
@never_cache
@require_POST
def token(request):
    client_id, secret = _client_credentials(request)
    client = provider.clients().get(client_id)
    if client is None or not provider.check_client_secret(client, secret):
        return _token_error("invalid_client", "client authentication failed", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type", "only authorization_code")
    try:
        body = provider.exchange_code(
            client=client,
            code=request.POST.get("code", ""),
            redirect_uri=request.POST.get("redirect_uri", ""),
            code_verifier=request.POST.get("code_verifier", ""),
        )
    except provider.TokenError as exc:
        return _token_error(exc.error, exc.description, exc.status)
    response = JsonResponse(body)
    response["Pragma"] = "no-cache"
    return response


@_enabled
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def userinfo(request):
    header = request.headers.get("Authorization", "")
    claims = provider.userinfo(header[7:] if header.startswith("Bearer ") else "")
    if claims is None:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return JsonResponse(claims)


@_enabled
@never_cache
@require_GET
def logout(request):
    """RP-initiated logout: this provider keeps no session, so it only sends the browser
    back to a registered post-logout address (or says it is done)."""
    target = request.GET.get("post_logout_redirect_uri", "")
    client = provider.clients().get(request.GET.get("client_id", ""))
    if client is not None and target in client.post_logout_uris():
        return HttpResponseRedirect(target)
    return render(request, "people/demo_idp/error.html", {"logged_out": True})

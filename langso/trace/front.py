"""The scan page front: a scan page is answered before Django builds a request.

A QR scan that finds its page in the page cache (see pages.py) needs one cache read, one
in-memory count and a fixed set of headers. Going through Django for that (request object,
sixteen middlewares, URL resolution, response object) costs more than the page itself, and
a crowd scanning one shelf is exactly when that matters. `ScanPageFront` wraps the WSGI
application (config/wsgi.py) and answers such requests itself; it is the same idea as a
reverse-proxy cache in front of the application, kept inside it so that nothing differs:

- the same paths (the regular expressions of urls.py), the same cache entries, the same
  per-address rate limit, the same scan counting, the same access-log line, metrics and
  X-Request-ID, and the same headers as the Django view with the project's middleware
  (test_front.py compares the two answers header by header and byte by byte);
- a page missing from the cache is rendered and stored here too (pages.scan_page, as the
  view does, followed by Django's request_finished signal, which looks after the database
  connection, see _render): the page is the same for everyone, so none of the
  middlewares has anything to do for it, and they cost a scan that renders about as much
  as the trivial view's whole request. The read that missed also brought the path's stamp
  and the shared parts' generation (pages.front_lookup), so a miss makes one cache read,
  one query and one cache write;
- everything else goes to Django untouched: other methods and paths, a query string (the
  province form of the page, a resolver's `linkType`), an `Accept` asking for the linkset
  (resolver.py), a host not in ALLOWED_HOSTS (Django answers 400), plain HTTP when
  SECURE_SSL_REDIRECT is on (Django redirects), a bad GTIN (404), a non-ASCII path, an
  address over its rate limit (Django answers 429), any error reading the cache (Django
  answers 503), and a miss the front could not render: no such lot (Django answers 404;
  the environ says that the request was already counted against the rate limit and what
  the cache held, so that neither is done twice) or any error (Django renders again, and
  answers and logs as for any request).

`LANGSO_TRACE_FRONT = False` turns it off (every scan then goes through the Django view).
"""

from __future__ import annotations

import gzip
import re
import time

from django.conf import settings
from django.core import signals
from django.http import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation

from langso.core import gs1, observability
from langso.core.ratelimit import local_rate_allows
from langso.core.security import SecurityHeadersMiddleware

from . import pages
from .actions import count_scan
from .identifiers import qualifiers_path
from .resolver import LINKSET_TYPE, link_header
from .urls import SCAN_GTIN_PATH, SCAN_PUBLIC_PATH
from .views import SCAN_RATE_PER_MINUTE, SCAN_RATE_SCOPE

_GTIN_PATH = re.compile("/" + SCAN_GTIN_PATH[1:])
_PUBLIC_PATH = re.compile("/" + SCAN_PUBLIC_PATH[1:])
_GZIP = re.compile(r"\bgzip\b")
PAGE_MISSED = "langso.trace.page_missed"
RATE_COUNTED = "langso.trace.rate_counted"


class ScanPageFront:
    """WSGI middleware: answers cache hits of the scan page, passes the rest to `app`."""

    def __init__(self, app):
        self.app = app
        self.enabled = getattr(settings, "LANGSO_TRACE_FRONT", True)
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.hosts: dict[str, bool] = {}
        self.gtins: dict[str, str] = {}
        self.fixed_headers = self._fixed_headers()

    def __call__(self, environ, start_response):
        if self.enabled and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            path = environ.get("PATH_INFO", "")
            if (
                path.startswith(("/01/", "/t/"))
                and not environ.get("QUERY_STRING")
                and LINKSET_TYPE not in environ.get("HTTP_ACCEPT", "")
            ):
                answer = self._answer(environ, path)
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return [body]
        return self.app(environ, start_response)

    # --- the answer -------------------------------------------------------------------------

    def _answer(self, environ, path: str):
        start = time.perf_counter()
        if environ.get("SCRIPT_NAME") or not path.isascii():
            return None
        match = _GTIN_PATH.match(path)
        route = "trace:scan"
        if match is not None:
            gtin, pid = self._gtin(match["gtin"]), ""
            if not gtin:
                return None  # Django answers 404
            prefix = f"/01/{gtin}"
        else:
            match = _PUBLIC_PATH.match(path)
            if match is None:
                return None
            gtin, pid, route = "", match["pid"].lower(), "trace:scan_public"
            prefix = f"/t/{pid}"
        if not self._host_allowed(environ):
            return None
        secure = self._is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        language = self._language(environ)
        try:
            page, missed = pages.front_lookup(
                gtin=gtin, product_public_id=pid, lot=match["lot"], language=language
            )
        except Exception:
            return None
        if not local_rate_allows(environ, SCAN_RATE_SCOPE, per_minute=SCAN_RATE_PER_MINUTE):
            return None  # Django counts it again and answers 429
        environ[RATE_COUNTED] = True  # what Django gets from here on is not counted twice
        if page is None:
            page = self._render(gtin, pid, match["lot"], language, missed)
            if page is None:  # no such batch (Django answers 404), or an error
                environ[PAGE_MISSED] = missed  # the view reads nothing from the cache
                return None
        batch_id, compressed = page
        if match["serial"]:
            with translation.override(language):
                compressed = pages.with_serial(compressed, match["serial"])
        count_scan(batch_id=batch_id)
        # as resolver.path_of, from the GTIN checked above
        link = link_header(prefix + qualifiers_path(lot=match["lot"], serial=match["serial"] or ""))
        headers = [*self.fixed_headers, ("Content-Language", language), ("Link", link)]
        if _GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")):
            body = compressed
            headers.append(("Content-Encoding", "gzip"))
        else:
            body = gzip.decompress(compressed)
        if secure and settings.SECURE_HSTS_SECONDS:
            headers.append(("Strict-Transport-Security", _hsts()))
        request_id = observability.request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        headers += [("Content-Length", str(len(body))), ("X-Request-ID", request_id)]
        token = observability.request_id_var.set(request_id)
        try:
            observability.record_request(
                method=environ["REQUEST_METHOD"],
                route=route,
                status=200,
                start=start,
                path=lambda: path,
            )
        finally:
            observability.request_id_var.reset(token)
        return "200 OK", headers, body

    @staticmethod
    def _render(gtin: str, pid: str, lot: str, language: str, missed):
        """A missing page, rendered and stored as the view would (pages.scan_page), then
        Django's request_finished signal (it closes a connection past CONN_MAX_AGE or left
        broken, and makes the next request check the connection's health); None when there
        is no such batch or anything failed: Django then answers, logs and counts as for
        any request.

        Not request_started: its receivers (close_old_connections again, reset_queries)
        cost a render as much as its logging, and the previous request's request_finished
        did the same in this thread. What can happen to the connection meanwhile: it
        outlives CONN_MAX_AGE by this one request (closed at its end), or the database
        closes it, which the scan read finds as the health check would (prepared.py) and
        reads again on a new connection. (test_front.py: test_a_miss_*_connection*)"""
        try:
            with translation.override(language):
                return pages.scan_page(gtin=gtin, product_public_id=pid, lot=lot, missed=missed)
        except Exception:
            return None
        finally:
            signals.request_finished.send(sender=ScanPageFront)

    def _gtin(self, raw: str) -> str:
        """gs1.normalize_gtin, remembered for the few GTINs of real products; "" if invalid."""
        gtin = self.gtins.get(raw)
        if gtin is None:
            try:
                gtin = gs1.normalize_gtin(raw)
            except ValueError:
                gtin = ""
            if len(self.gtins) < 4096:  # forged ones beyond are checked at every scan
                self.gtins[raw] = gtin
        return gtin

    # --- what Django's middleware would decide ---------------------------------------------

    @staticmethod
    def _fixed_headers() -> list[tuple[str, str]]:
        headers = {
            "Content-Type": f"text/html; charset={settings.DEFAULT_CHARSET}",
            "Vary": "Accept, Accept-Encoding, Cookie",  # the view, then the locale middleware
            "Cache-Control": "public, max-age=5",
        }
        # django.middleware.security.SecurityMiddleware (HSTS is per request: secure only)
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers["X-Content-Type-Options"] = "nosniff"
        if settings.SECURE_REFERRER_POLICY:
            policy = settings.SECURE_REFERRER_POLICY
            headers["Referrer-Policy"] = policy if isinstance(policy, str) else ",".join(policy)
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        # langso.core.security.SecurityHeadersMiddleware: only what is still missing
        for name, value in SecurityHeadersMiddleware(None).headers.items():
            headers.setdefault(name, value)
        # django.middleware.clickjacking.XFrameOptionsMiddleware
        headers["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        return list(headers.items())

    def _language(self, environ) -> str:
        """As VietnameseFirstLocaleMiddleware: the switch's cookie, else Vietnamese."""
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and settings.LANGUAGE_COOKIE_NAME in cookies:
            chosen = parse_cookie(cookies).get(settings.LANGUAGE_COOKIE_NAME, "")
            if chosen in self.languages:
                return chosen
        return settings.LANGUAGE_CODE

    def _host_allowed(self, environ) -> bool:
        """As HttpRequest.get_host (which CommonMiddleware calls on every request)."""
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        elif "HTTP_HOST" in environ:
            host = environ["HTTP_HOST"]
        else:
            return False  # rare (HTTP/1.0 without Host): leave it to Django
        allowed = self.hosts.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host)
            hosts = settings.ALLOWED_HOSTS
            if settings.DEBUG and not hosts:
                hosts = [".localhost", "127.0.0.1", "[::1]"]
            allowed = bool(domain) and validate_host(domain, hosts)
            if len(self.hosts) < 64:  # a few real names; forged ones are not remembered
                self.hosts[host] = allowed
        return allowed

    @staticmethod
    def _is_secure(environ) -> bool:
        """As HttpRequest.is_secure, with SECURE_PROXY_SSL_HEADER."""
        if settings.SECURE_PROXY_SSL_HEADER:
            header, value = settings.SECURE_PROXY_SSL_HEADER
            sent = environ.get(header)
            if sent is not None:
                return sent.split(",", 1)[0].strip() == value
        return environ.get("wsgi.url_scheme") == "https"


def _hsts() -> str:
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value

"""The scan page front (front.py) answers cache hits exactly as the Django view would, and
leaves everything else to Django."""

import gzip
import logging
import time

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from langso.core import ratelimit
from langso.trace import pages
from langso.trace.actions import flush_scan_counts, record_event
from langso.trace.front import ScanPageFront
from langso.trace.identifiers import batch_path
from langso.trace.models import ScanCount

from .conftest import vn

# Differ on every answer by design; everything else must be equal.
PER_REQUEST = {"x-request-id"}


@pytest.fixture(autouse=True)
def _fresh(fresh_trace_caches):
    # As Django's test client: the request signals must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class CountingApp:
    """Django's WSGI handler, counting the requests the front passed on."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def front():
    return ScanPageFront(CountingApp())


def call(app, path: str, method: str = "GET", **extra):
    """One request through a WSGI callable: (status code, headers, body)."""
    extra.setdefault("HTTP_HOST", "testserver")
    environ = RequestFactory().generic(method, path, **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), headers

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    headers = {}
    for name, value in answer["headers"]:
        headers.setdefault(name.lower(), []).append(value)
    return answer["status"], headers, body


def assert_same_answer(front, path, **extra):
    """The front answers (Django is not called) exactly what Django answers."""
    before = front.app.calls
    status, headers, body = call(front, path, **extra)
    assert front.app.calls == before, "the front passed a cache hit on to Django"
    d_status, d_headers, d_body = call(front.app.django, path, **extra)
    assert (status, body) == (d_status, d_body)
    same = {k: v for k, v in headers.items() if k not in PER_REQUEST}
    assert same == {k: v for k, v in d_headers.items() if k not in PER_REQUEST}
    assert headers["x-request-id"][0] and d_headers["x-request-id"][0]
    return status, headers, body


def test_a_cached_page_is_answered_by_the_front_as_django_would(front, story):
    path = batch_path(story)
    status, _headers, body = call(front, path)  # miss: the front renders and stores it
    assert status == 200 and front.app.calls == 0
    status, headers, body = assert_same_answer(front, path)
    assert "Chè búp Vô Tranh" in body.decode()
    assert headers["content-language"] == ["vi"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"][0]
    # compressed for a phone that says it accepts gzip
    status, headers, body = assert_same_answer(front, path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert headers["content-encoding"] == ["gzip"]
    assert "Chè búp Vô Tranh" in gzip.decompress(body).decode()
    assert_same_answer(front, path, method="HEAD")


def test_the_front_answers_in_the_chosen_language_and_for_units(front, story):
    path = batch_path(story)
    call(front, path, HTTP_COOKIE="django_language=en")  # miss in English
    _status, headers, body = assert_same_answer(front, path, HTTP_COOKIE="django_language=en")
    assert headers["content-language"] == ["en"]
    assert 'lang="en"' in body.decode() and "Traceability" in body.decode()
    # an unknown language in the cookie is Vietnamese, as in the middleware
    call(front, path)
    assert_same_answer(front, path, HTTP_COOKIE="django_language=xx")
    # a unit's serial (/21/) is filled into the batch's cached page
    _status, _headers, body = assert_same_answer(front, batch_path(story, serial="A0007"))
    assert "A0007" in body.decode()


def test_a_product_without_gtin_is_answered_too(front, producer_user, product_without_gtin, area):
    from decimal import Decimal

    from langso.trace.actions import create_batch

    dried = create_batch(
        actor=producer_user,
        product=product_without_gtin,
        lot="KHO-01",
        quantity=Decimal("20"),
        growing_area=area,
    )
    path = batch_path(dried)
    assert path.startswith("/t/")
    call(front, path)
    _status, _headers, body = assert_same_answer(front, path)
    assert "Chè xanh túi lọc" in body.decode()


def test_behind_https_the_front_sends_hsts_like_django(story, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_PRELOAD = True
    front = ScanPageFront(CountingApp())  # Django's middleware reads these when it starts
    path = batch_path(story)
    call(front, path, HTTP_X_FORWARDED_PROTO="https")
    _status, headers, _body = assert_same_answer(front, path, HTTP_X_FORWARDED_PROTO="https")
    assert headers["strict-transport-security"] == ["max-age=3600; preload"]
    # plain HTTP goes to Django, which redirects to https
    before = front.app.calls
    status, headers, _body = call(front, path, HTTP_X_FORWARDED_PROTO="http")
    assert status == 301 and headers["location"][0].startswith("https://")
    assert front.app.calls == before + 1


def test_scans_answered_by_the_front_are_counted_and_logged(front, story, caplog):
    path = batch_path(story)
    call(front, path)  # the miss, rendered and counted by the front
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="langso.request"):
        _s, headers, _b = call(front, path, HTTP_X_REQUEST_ID="scan-42")
        call(front, path, HTTP_X_REQUEST_ID="bad id with spaces")
    assert front.app.calls == 0
    flush_scan_counts()
    assert ScanCount.objects.get(batch=story, province_code="").count == 3
    assert headers["x-request-id"] == ["scan-42"]
    lines = [r for r in caplog.records if r.name == "langso.request"]
    assert [(r.route, r.status, r.path, r.request_id) for r in lines[:1]] == [
        ("trace:scan", 200, path, "scan-42")
    ]
    assert len(lines) == 2 and lines[1].request_id != "bad id with spaces"


def test_a_new_event_reaches_the_page_through_the_front(
    front, story, producer_user, django_capture_on_commit_callbacks
):
    path = batch_path(story)
    call(front, path)
    with django_capture_on_commit_callbacks(execute=True):
        record_event(
            actor=producer_user,
            batch=story,
            kind="inspection",
            event_time=vn(2026, 4, 5),
            details={"laboratory": "Phòng kiểm nghiệm Sông Công", "passed": True},
        )
    # the commit dropped the old page and the render task stored the new one
    _status, _headers, body = assert_same_answer(front, path)
    assert "Phòng kiểm nghiệm Sông Công" in body.decode()


@pytest.mark.parametrize(
    "extra",
    [{}, {"HTTP_ACCEPT_ENCODING": "gzip"}, {"HTTP_COOKIE": "django_language=en"}],
)
def test_a_missing_page_is_rendered_by_the_front_as_django_would(front, story, extra):
    path = batch_path(story)
    status, headers, body = call(front, path, **extra)  # a miss: rendered by the front
    assert front.app.calls == 0 and any(pages.cached_page(k) for k in pages.keys_of(story))
    pages.forget_pages([story.pk])
    d_status, d_headers, d_body = call(front.app.django, path, **extra)  # rendered by Django
    assert (status, body) == (d_status, d_body)
    same = {k: v for k, v in headers.items() if k not in PER_REQUEST}
    assert same == {k: v for k, v in d_headers.items() if k not in PER_REQUEST}
    pages.forget_pages([story.pk])
    assert_same_answer(front, batch_path(story, serial="A0007"), **extra)  # a unit, missed


@pytest.mark.django_db(transaction=True)
def test_a_miss_closes_a_connection_past_its_age_and_checks_a_kept_one(front, story, settings):
    """The front sends request_finished only (front.py, _render): a connection past
    CONN_MAX_AGE is closed at the end of the miss, a younger one is kept and checked at
    the next miss, and one the database closed meanwhile is replaced by the scan read."""
    from django.db import connection

    settings.LANGSO_TRACE_SCAN_FLUSH_SECONDS = 3600  # no scan count written meanwhile
    signals.request_finished.connect(close_old_connections)  # as in production
    try:
        pages.forget_pages([story.pk])  # a miss
        connection.ensure_connection()
        old = connection.connection
        connection.close_at = time.monotonic() - 1  # past its age
        assert call(front, batch_path(story))[0] == 200 and front.app.calls == 0
        if not getattr(connection, "is_in_memory_db", lambda: False)():  # never closed
            assert connection.connection is None and old is not None

        pages.forget_pages([story.pk])
        connection.ensure_connection()
        kept = connection.connection
        connection.close_at = time.monotonic() + 3600
        assert call(front, batch_path(story))[0] == 200 and front.app.calls == 0
        assert connection.connection is kept
        assert not connection.health_check_done  # the next request checks it

        if connection.vendor != "postgresql" or not connection.health_check_enabled:
            return  # the scan read is its own health check on PostgreSQL (prepared.py)
        pages.forget_pages([story.pk])
        close_old_connections()  # as at the end of a request (forget_pages checked it)
        connection.connection.close()  # the database restarted meanwhile
        status, _headers, body = call(front, batch_path(story))
        assert status == 200 and front.app.calls == 0 and "Chè búp Vô Tranh" in body.decode()
    finally:
        signals.request_finished.disconnect(close_old_connections)


def test_an_unknown_lot_is_django_s_404_counted_once_against_the_rate(front, story, settings):
    settings.LANGSO_RATE_LIMIT_ENABLED = True
    settings.LANGSO_RATE_LIMITS = {"trace.scan": 2}
    ratelimit._local_counts.counts.clear()
    path = batch_path(story).replace(story.lot, "KHONG-CO")
    statuses = [call(front, path, REMOTE_ADDR="198.51.100.9")[0] for _ in range(3)]
    assert statuses == [404, 404, 429]
    assert front.app.calls == 3


def test_a_render_that_fails_in_the_front_is_left_to_django(front, story, monkeypatch):
    path = batch_path(story)
    render, failed = pages.scan_page, []

    def fails_once(**kwargs):
        if not failed:
            failed.append(kwargs)
            raise RuntimeError("a bug, or the database going away")
        return render(**kwargs)

    monkeypatch.setattr(pages, "scan_page", fails_once)
    status, _headers, body = call(front, path)
    assert status == 200 and front.app.calls == 1 and failed
    assert "Chè búp Vô Tranh" in body.decode()


@pytest.mark.parametrize(
    ("path_suffix", "extra", "expected"),
    [
        ("?tinh=19", {}, 200),  # the province form: the view counts it
        ("?linkType=linkset", {}, 200),  # the resolver's linkset (resolver.py)
        ("?linkType=gs1:epcis", {}, 307),  # the resolver's redirect
        ("", {"HTTP_ACCEPT": "application/linkset+json"}, 200),  # the linkset, negotiated
        ("", {"HTTP_HOST": "evil.example"}, 400),  # not in ALLOWED_HOSTS
        ("", {"method": "POST"}, 403),  # CSRF middleware, then the view's 405
    ],
)
def test_what_the_front_leaves_to_django(front, story, path_suffix, extra, expected):
    path = batch_path(story)
    call(front, path)
    before = front.app.calls
    status, _headers, _body = call(front, path + path_suffix, **extra)
    assert status == expected and front.app.calls == before + 1


def test_the_front_sends_the_resolver_headers_django_sends(front, story):
    path = batch_path(story, serial="A0007")
    call(front, path)
    _status, headers, _body = assert_same_answer(front, path)
    assert headers["link"] == [
        f'<{path}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
    ]
    assert headers["vary"] == ["Accept, Accept-Encoding, Cookie"]


def test_a_bad_gtin_or_unknown_lot_is_django_s_404(front, story):
    before = front.app.calls
    assert call(front, "/01/08938503000019/10/VT2026-01")[0] == 404  # check digit
    assert call(front, batch_path(story).replace("VT2026-01", "KHONG-CO"))[0] == 404
    assert front.app.calls == before + 2


def test_beyond_the_rate_limit_django_answers_429(front, story, settings):
    settings.LANGSO_RATE_LIMIT_ENABLED = True
    settings.LANGSO_RATE_LIMITS = {"trace.scan": 3}
    ratelimit._local_counts.counts.clear()
    path = batch_path(story)
    statuses = [call(front, path, REMOTE_ADDR="198.51.100.7")[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # another address is not affected
    assert call(front, path, REMOTE_ADDR="198.51.100.8")[0] == 200


def test_a_cache_error_is_left_to_django(front, story, monkeypatch):
    path = batch_path(story)
    call(front, path)

    asked = []

    def broken(**path):
        asked.append(path)
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(pages, "front_lookup", broken)
    before = front.app.calls
    front(RequestFactory().get(path, HTTP_HOST="testserver").environ, lambda *a: None)
    assert front.app.calls == before + 1
    assert asked[0]["lot"] == story.lot  # the front tried the cache first, then Django


def test_the_front_can_be_turned_off(story, settings):
    settings.LANGSO_TRACE_FRONT = False
    front = ScanPageFront(CountingApp())
    call(front, batch_path(story))
    call(front, batch_path(story))
    assert front.app.calls == 2


def test_the_production_wsgi_application_has_the_front():
    from config import wsgi

    assert isinstance(wsgi.application, ScanPageFront)
    assert isinstance(wsgi.application.app, WSGIHandler)


REDIS = "redis://127.0.0.1:6379/12"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_on_redis_a_miss_is_read_rendered_and_stored_in_two_round_trips(front, story, settings):
    """Production's cache: the front's MGET and the store's script talk to Redis directly."""
    settings.CACHES = {
        **settings.CACHES,
        "trace_pages": {
            "BACKEND": "langso.core.cache.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "langso-test-front",
        },
    }
    pages.page_cache().clear()
    path = batch_path(story)
    status, _headers, body = call(front, path)  # rendered by the front, stored by the script
    assert status == 200 and front.app.calls == 0
    assert assert_same_answer(front, path)[2] == body
    pages.forget_pages([story.pk])
    page, (key, found) = pages.front_lookup(gtin=story.gtin, lot=story.lot, language="vi")
    assert page is None and key == pages.keys_of(story)[0]
    assert list(found) == [f"trace:stamp:01/{story.gtin}/{story.lot}"]  # as the view reads it
    # a render that started before the stamp changed stores nothing
    assert pages.scan_page(gtin=story.gtin, lot=story.lot, missed=(key, {})) is not None
    assert pages.cached_page(key) is None
    assert pages.scan_page(gtin=story.gtin, lot=story.lot, missed=(key, found)) is not None
    assert pages.cached_page(key) is not None
    pages.page_cache().clear()
    # the kept connection, closed by Redis (a restart, its idle timeout): opened again
    import redis

    pool = pages.page_cache()._cache.get_client("").connection_pool
    connection = pages._THREAD.redis[1][pool]
    connection.send_command("CLIENT", "ID")
    assert redis.Redis.from_url(REDIS).client_kill_filter(_id=connection.read_response()) == 1
    assert call(front, path)[2] == body and front.app.calls == 0  # read, rendered and stored
    pages.page_cache().clear()


def test_redis_values_are_read_as_django_s_serializer_reads_them():
    from django.core.cache.backends.redis import RedisSerializer

    serializer = RedisSerializer()
    for value in (0, -7, 2**62, "abc", b"\x80\x00", {"a": [1]}, 1.5, None, True, "12"):
        stored = serializer.dumps(value)
        stored = str(stored).encode() if type(stored) is int else stored  # as Redis gives it
        assert pages._loads(stored) == serializer.loads(stored) == value


def test_a_scan_is_counted_on_the_local_day_of_its_instant(monkeypatch):
    """count_scan keeps the day until the clock leaves it (scans._today)."""
    from datetime import UTC, date, datetime

    from django.utils import timezone

    from langso.trace.actions import scans

    now = [datetime(2026, 12, 7, tzinfo=timezone.get_current_timezone()).timestamp() - 1]
    monkeypatch.setattr(scans, "_day", (0.0, 0.0, None))
    monkeypatch.setattr(scans, "clock", lambda: now[0])
    monkeypatch.setattr(timezone, "now", lambda: datetime.fromtimestamp(now[0], UTC))
    assert scans._today() == date(2026, 12, 6)  # 23:59:59 in Vietnam
    now[0] += 1
    assert scans._today() == date(2026, 12, 7)
    now[0] += 86399
    assert scans._today() == date(2026, 12, 7)
    now[0] += 1
    assert scans._today() == date(2026, 12, 8)

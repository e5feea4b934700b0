"""What a scan costs the database: nothing on a page cache hit, two queries on a miss once
the worker knows the product, and a compact record in the page cache (pages.py,
page_records.py)."""

import gzip
import time

import pytest
from django.core import signals
from django.db import close_old_connections

from langso.trace import page_records, pages
from langso.trace.actions import create_batch, record_event
from langso.trace.actions import scans as scan_actions
from langso.trace.front import ScanPageFront
from langso.trace.identifiers import batch_path

from .conftest import vn
from .test_front import CountingApp, call


@pytest.fixture(autouse=True)
def _fresh(fresh_trace_caches, settings):
    settings.LANGSO_TRACE_SCAN_FLUSH_SECONDS = 3600  # no count flush inside a measured scan
    scan_actions._last_flush = time.monotonic()


@pytest.fixture
def second_batch(producer_user, product, area):
    """Another lot of the same product, harvested another day, with a long story."""
    batch = create_batch(
        actor=producer_user, product=product, lot="VT2026-02", quantity=300, growing_area=area
    )
    for day in range(1, 13):
        record_event(
            actor=producer_user,
            batch=batch,
            kind="inspection",
            event_time=vn(2026, 5, day),
            details={"laboratory": f"Phòng kiểm nghiệm số {day}", "passed": True},
        )
    return batch


def test_a_scan_missing_the_page_cache_makes_at_most_two_queries(
    client, story, second_batch, django_assert_max_num_queries
):
    assert client.get(batch_path(story)).status_code == 200  # the worker meets the product
    pages.forget_pages([story.pk, second_batch.pk])
    for batch in (story, second_batch):  # another lot, harvest day and number of events
        path = batch_path(batch)
        with django_assert_max_num_queries(2):
            response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert batch.lot in gzip.decompress(response.content).decode()
    assert "Phòng kiểm nghiệm số 12" in gzip.decompress(response.content).decode()


def test_a_scan_of_a_product_without_gtin_misses_in_two_queries_too(
    client, producer_user, product_without_gtin, django_assert_max_num_queries
):
    batch = create_batch(actor=producer_user, product=product_without_gtin, lot="K-1", quantity=5)
    other = create_batch(actor=producer_user, product=product_without_gtin, lot="K-2", quantity=5)
    assert client.get(batch_path(batch)).status_code == 200
    path = batch_path(other)
    with django_assert_max_num_queries(2):
        assert client.get(path).status_code == 200


def test_the_first_page_of_a_product_in_a_worker_reads_its_shared_part_once(
    client, story, django_assert_max_num_queries
):
    path = batch_path(story)
    # + product, producer, growing area, certificates, OCOP (2), bank account, provinces
    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200


@pytest.fixture
def front():
    # As Django's test client: the request signals must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield ScanPageFront(CountingApp())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_scan_answered_from_the_page_cache_makes_no_query(
    client, front, story, django_assert_num_queries
):
    path = batch_path(story)
    call(front, path)  # a miss: rendered and stored by the front
    with django_assert_num_queries(0):
        status, _headers, body = call(front, path, HTTP_ACCEPT_ENCODING="gzip")
        assert client.get(path).status_code == 200  # through Django: one cache read too
    assert status == 200 and front.app.calls == 0
    assert "Abamectin 3.6EC" in gzip.decompress(body).decode()


class CountingCache:
    """The page cache, noting each call and how many queries had run before it."""

    def __init__(self, cache, queries):
        self.cache, self.queries, self.calls = cache, queries, []

    def __getattr__(self, name):
        attribute = getattr(self.cache, name)
        if not callable(attribute):
            return attribute

        def noted(*args, **kwargs):
            self.calls.append((name, len(self.queries)))  # queries: a CaptureQueriesContext
            return attribute(*args, **kwargs)

        return noted


def test_a_miss_through_the_front_reads_the_cache_once_then_makes_one_query(
    front, story, second_batch, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call(front, batch_path(story))  # the worker meets the product
    pages.forget_pages([second_batch.pk])
    with CaptureQueriesContext(connection) as queries:
        cache = CountingCache(pages.page_cache(), queries)
        monkeypatch.setattr(pages, "page_cache", lambda: cache)
        status, _headers, body = call(front, batch_path(second_batch))
    assert status == 200 and front.app.calls == 0 and second_batch.lot in body.decode()
    assert len(queries) == 1  # the batch beside its events
    before_query = [name for name, ran in cache.calls if ran == 0]
    assert before_query == ["get_many"]  # the page, the path's stamp, the shared parts' gen
    assert pages.cached_page(pages.keys_of(second_batch)[0]) is not None


def test_a_page_is_stored_as_its_batch_parts_a_fraction_of_the_page(client, story):
    client.get(batch_path(story))
    record = pages.page_cache().get(pages.keys_of(story)[0])
    batch_id, body = pages.cached_page(pages.keys_of(story)[0])
    html = gzip.decompress(body)
    assert batch_id == story.pk and html.startswith(b"<!doctype html>")
    assert isinstance(record, bytes)  # compressed only: no second, uncompressed copy
    assert len(record) * 3 < len(gzip.compress(html))
    assert story.lot.encode() not in record


def test_a_page_whose_skeleton_left_the_cache_is_rendered_again(client, story):
    path = batch_path(story)
    first = client.get(path).content
    record = pages.page_cache().get(pages.keys_of(story)[0])
    _batch_id, skeleton_id = page_records.header(record)
    pages.page_cache().delete(pages._skeleton_key(skeleton_id))  # evicted by Redis
    pages._SKELETONS.clear()  # another worker, which never saw it
    assert pages.cached_page(pages.keys_of(story)[0]) is None  # the front leaves it to Django
    assert client.get(path).content == first
    assert pages.cached_page(pages.keys_of(story)[0]) is not None


def test_a_record_gives_back_the_page_it_was_made_from():
    skeleton = page_records.Skeleton(
        "<title>Chè – lô \x1alot\x1a</title>" + "<p>đồi chè</p>" * 50 + "<ol>\x1atl\x1a</ol>"
    )
    fills = {"lot": "VT-01", "tl": "<li>Thu hoạch VT-01</li>" * 20}
    record = page_records.encode(7, skeleton, fills)
    body = page_records.gzip_body(record, skeleton)
    expected = "<title>Chè – lô VT-01</title>" + "<p>đồi chè</p>" * 50
    expected += "<ol>" + fills["tl"] + "</ol>"
    assert gzip.decompress(body).decode() == expected
    assert page_records.header(record) == (7, skeleton.id)
    assert page_records.Skeleton.from_blob(skeleton.blob).id == skeleton.id
    with pytest.raises(ValueError):
        page_records.gzip_body(record, page_records.Skeleton("<p>\x1alot\x1a</p>"))


@pytest.mark.django_db(transaction=True)
def test_the_scan_read_is_its_own_health_check(story, monkeypatch):
    """No `SELECT 1` before the read (CONN_HEALTH_CHECKS); a dead connection is replaced."""
    from django.db import connection

    from langso.trace.queries import scan_page_batch

    if connection.vendor != "postgresql" or not connection.health_check_enabled:
        pytest.skip("health checks on PostgreSQL")
    checks = []
    usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or usable())
    connection.ensure_connection()
    connection.health_check_done = False  # a new request on a kept connection: check due
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk
    assert checks == [] and connection.health_check_done
    connection.health_check_done = False
    connection.connection.close()  # the database restarted meanwhile
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk
    assert checks == [] and connection.is_usable()


def test_the_batch_s_own_parts_escape_what_they_show(story):
    """Built with f-strings for speed: escaped exactly as format_html would."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from langso.trace.timeline import SERIAL_SLOT, scan_batch_card, scan_batch_line

    story.lot, story.unit = "L<1>&\"'", "<kg>"
    assert scan_batch_line(story) == format_html(
        '<p class="muted">{} <strong>{}</strong>{}{}</p>',
        "Lô",
        story.lot,
        mark_safe(SERIAL_SLOT),  # noqa: S308 - a constant comment
        format_html(" · GTIN {}", story.gtin),
    )
    card = scan_batch_card(story, None)
    assert "&lt;kg&gt;" in card and "<kg>" not in card


@pytest.mark.django_db(transaction=True)
def test_the_prepared_read_survives_a_connection_that_lost_or_kept_its_statement(story):
    from django.db import connection

    from langso.trace import prepared
    from langso.trace.queries import scan_page_batch

    if connection.vendor != "postgresql":
        pytest.skip("statements are prepared on PostgreSQL only")
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk
    prepared._PREPARED.clear()  # prepared, but this process forgot it (threads racing)
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # known, but the connection lost it
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk
    assert scan_page_batch(gtin=story.gtin, lot=story.lot)[0].pk == story.pk

"""The exactly-once mechanism itself (langso/core/idempotency.py); each app's tests check
its creates (`tests/test_once.py`)."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections

from langso.core.idempotency import (
    TTL,
    Answer,
    IdempotencyKeyReused,
    once,
    purge_expired,
)
from langso.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def _counting(status=201, body="first"):
    calls = []

    def run():
        calls.append(1)
        return f"made {len(calls)}", Answer(status, body) if status < 400 else None

    return calls, run


def _once(run, key="k-1", fingerprint="f"):
    return once(scope="test.create", owner="user:1", key=key, fingerprint=fingerprint, run=run)


def test_a_repeat_gets_the_kept_answer_and_runs_nothing():
    calls, run = _counting()
    assert _once(run) == "made 1"
    assert _once(run) == Answer(201, "first", {})
    assert len(calls) == 1 and IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_fingerprint_is_refused():
    calls, run = _counting()
    _once(run)
    with pytest.raises(IdempotencyKeyReused) as refused:
        _once(run, fingerprint="other")
    assert refused.value.code == "core.idempotency_key_reused" and refused.value.http_status == 422
    assert len(calls) == 1


def test_a_refusal_is_not_kept_so_the_corrected_request_runs():
    calls, run = _counting(status=422)
    _once(run)
    _once(run)
    assert len(calls) == 2 and not IdempotencyRecord.objects.exists()


def test_an_error_inside_the_create_keeps_nothing():
    def fail():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        _once(fail)
    calls, run = _counting()
    assert _once(run) == "made 1" and len(calls) == 1


def test_keys_are_separate_per_owner_and_scope():
    calls, run = _counting()
    once(scope="a", owner="user:1", key="k", fingerprint="", run=run)
    once(scope="a", owner="user:2", key="k", fingerprint="", run=run)
    once(scope="b", owner="user:1", key="k", fingerprint="", run=run)
    assert len(calls) == 3


def test_an_expired_key_counts_no_more_and_is_purged():
    _calls, run = _counting()
    _once(run, key="old")
    _once(run, key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=_ago(TTL + timedelta(minutes=1)))
    assert purge_expired() == 1
    assert _once(run, key="old") == "made 3"


def _ago(delta):
    from django.utils import timezone

    return timezone.now() - delta


def test_a_malformed_key_header_is_refused(client):
    response = client.post(
        "/api/engage/feedback",
        {"commune_code": "00000", "category": "x", "text": "x"},
        content_type="application/json",
        headers={"Idempotency-Key": "has spaces"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "core.idempotency_key_invalid"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_the_create_once():
    """Two requests with one key at the same moment: the second blocks on the unique
    constraint until the first commits, then replays its answer (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer; the race needs PostgreSQL")
    key = str(uuid.uuid4())
    inside = threading.Event()
    calls, results, errors = [], {}, []

    def slow_run():
        calls.append(1)
        inside.set()
        time.sleep(0.5)  # give the second request time to reach the insert and block
        return "made", Answer(201, "first")

    def send(name, run):
        try:
            results[name] = once(
                scope="test.race", owner="user:1", key=key, fingerprint="f", run=run
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first", slow_run))
    first.start()
    assert inside.wait(timeout=30)
    second = threading.Thread(target=send, args=("second", lambda: (calls.append(2), None)))
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)
    assert errors == []
    assert calls == [1]
    assert results == {"first": "made", "second": Answer(201, "first", {})}
    assert IdempotencyRecord.objects.filter(key=key).count() == 1


def test_the_openapi_document_declares_the_header_on_each_idempotent_operation(client, db):
    """A client generated from /api/openapi.json knows it may send the key."""
    paths = client.get("/api/openapi.json").json()["paths"]

    def takes_key(path, method="post"):
        parameters = paths[path][method].get("parameters", [])
        return any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in parameters)

    assert takes_key("/api/procedures/dossiers")
    assert takes_key("/api/engage/feedback")
    assert takes_key("/api/trace/capture")
    assert not takes_key("/api/documents/verify")

import json
from decimal import Decimal

import pytest

from langso.trace import epcis
from langso.trace.actions import create_api_key, record_event
from langso.trace.models import TraceEvent

from .conftest import vn


@pytest.fixture
def secret(producer_user, producer):
    return create_api_key(actor=producer_user, producer=producer, name="Phần mềm HTX")[1]


@pytest.fixture
def harvested(producer_user, batch):
    record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    record_event(
        actor=producer_user,
        batch=batch,
        kind="harvest",
        event_time=vn(2026, 4, 1),
        quantity=Decimal("480"),
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="packing",
        event_time=vn(2026, 4, 2),
        quantity=Decimal("400"),
    )
    return batch


def _doc(batch, event_id="urn:uuid:7c1e2a5b-0000-4c1c-9a51-0c0e0b0a0d01", **extra):
    event = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": "2026-04-03T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "quantityList": [
            {
                "epcClass": f"https://id.gs1.org/01/{batch.gtin}/10/{batch.lot}",
                "quantity": 100,
                "uom": "KGM",
            }
        ],
        **extra,
    }
    return epcis.document([event])


def _post(client, doc, **headers):
    return client.post(
        "/api/trace/capture", data=json.dumps(doc), content_type="application/ld+json", **headers
    )


def test_capture_with_an_api_key_stores_the_events(client, harvested, secret):
    response = _post(client, _doc(harvested), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 202, response.content
    assert response.json()["captured"] == 1
    assert harvested.events.filter(kind="shipping", quantity=100).exists()
    job = client.get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert job.status_code == 200
    body = job.json()
    assert body["captureID"] in response["Location"]
    assert (body["running"], body["success"]) == (False, True)
    assert body["eventIDs"] == response.json()["eventIDs"]


def test_a_capture_job_is_not_shown_to_another_caller(client, harvested, secret, producer_user):
    location = _post(client, _doc(harvested), HTTP_AUTHORIZATION=f"Bearer {secret}")["Location"]
    client.force_login(producer_user)  # a person, not the key that sent it
    response = client.get(location)
    assert response.status_code == 404
    assert response.json()["code"] == "trace.capture_not_found"


def test_capture_accepts_the_x_api_key_header(client, harvested, secret):
    assert _post(client, _doc(harvested), HTTP_X_API_KEY=secret).status_code == 202


def test_capture_without_credentials_is_refused(client, harvested):
    assert _post(client, _doc(harvested)).status_code == 401
    assert _post(client, _doc(harvested), HTTP_AUTHORIZATION="Bearer lst_wrong").status_code == 401


def test_capture_of_an_invalid_document_returns_the_schema_reason(client, harvested, secret):
    doc = _doc(harvested)
    del doc["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    response = _post(client, doc, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "trace.epcis_invalid"
    assert "'eventTimeZoneOffset' is a required property" in body["detail"]
    assert body["reasons"]
    assert not harvested.events.filter(kind="shipping").exists()


def test_capture_breaking_the_chain_returns_the_rule_code(client, harvested, secret):
    doc = _doc(harvested)
    doc["epcisBody"]["eventList"][0]["quantityList"][0]["quantity"] = 401
    response = _post(client, doc, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    assert response.json()["code"] == "trace.ship_exceeds_packed"


def test_capture_by_session_of_the_producer_member(client, harvested, producer_user):
    client.force_login(producer_user)
    client.handler.enforce_csrf_checks = False
    assert _post(client, _doc(harvested)).status_code == 202


def test_capture_by_an_official_of_another_commune_is_refused(client, harvested, other_official):
    client.force_login(other_official)
    response = _post(client, _doc(harvested))
    assert response.status_code == 403
    assert response.json()["code"] == "core.permission_denied"


def test_events_query_with_standard_parameters(client, harvested, secret):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    r = client.get("/api/trace/events", {"EQ_bizStep": "commissioning"}, **auth)
    assert r.status_code == 200
    body = r.json()
    assert body["type"] == "EPCISQueryDocument" and epcis.schema_errors(body) == []
    events = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["commissioning"]
    r = client.get(
        "/api/trace/events",
        {"GE_eventTime": "2026-04-02T00:00:00+07:00", "LT_eventTime": "2026-04-03T00:00:00+07:00"},
        **auth,
    )
    assert [
        e["bizStep"] for e in r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ] == ["packing"]
    cls = f"https://id.gs1.org/01/{harvested.gtin}/10/{harvested.lot}"
    r = client.get("/api/trace/events", {"MATCH_anyEPC": cls, "format": "document"}, **auth)
    assert r.json()["type"] == "EPCISDocument"
    assert len(r.json()["epcisBody"]["eventList"]) == 3
    r = client.get("/api/trace/events", {"MATCH_anyEPC": cls[:-1]}, **auth)  # a prefix
    assert r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"] == []
    loc = harvested.events.get(kind="packing").biz_location
    r = client.get("/api/trace/events", {"EQ_bizLocation": loc}, **auth)
    assert len(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 1


def test_events_query_shows_nothing_of_other_producers(client, harvested, commune):
    from langso.economy.models import Producer
    from langso.people.models import User

    rival = Producer.objects.create(
        kind="enterprise", name="Công ty Khác", commune=commune, province_code="19"
    )
    root = User.objects.create_superuser("root", "r@example.vn", "pw")
    secret = create_api_key(actor=root, producer=rival, name="k")[1]
    r = client.get("/api/trace/events", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"] == []
    assert TraceEvent.objects.count() == 3


def test_events_query_needs_credentials(client, harvested):
    assert client.get("/api/trace/events").status_code == 401


def test_events_are_paged_with_a_next_page_token(client, harvested, secret):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    everything = client.get("/api/trace/events", **auth).json()
    all_ids = [
        e["eventID"] for e in everything["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ]
    assert len(all_ids) >= 3
    seen, url, pages = [], "/api/trace/events?perPage=2", 0
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200
        body = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert 1 <= len(body) <= 2
        seen += [e["eventID"] for e in body]
        link = response.get("Link", "")
        url = link[1 : link.index(">")] if link else ""
        pages += 1
    assert seen == all_ids and pages == (len(all_ids) + 1) // 2


def test_a_page_token_is_bound_to_its_query_and_cannot_be_forged(client, harvested, secret):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    link = client.get("/api/trace/events?perPage=1", **auth)["Link"]
    token = link[link.index("nextPageToken=") + 14 : link.index(">")]
    other = client.get(
        f"/api/trace/events?perPage=1&EQ_bizStep=packing&nextPageToken={token}", **auth
    )
    assert other.status_code == 422 and other.json()["code"] == "trace.invalid_query"
    forged = client.get("/api/trace/events?perPage=1&nextPageToken=abc", **auth)
    assert forged.status_code == 422
    assert client.get("/api/trace/events?perPage=0", **auth).status_code == 422


def test_an_api_key_client_needs_no_csrf_token(harvested, secret):
    # the CSRF check on the API applies to browser sessions only
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = _post(client, _doc(harvested), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 202, response.content
    response = _post(
        client,
        _doc(harvested, event_id="urn:uuid:7c1e2a5b-0000-4c1c-9a51-0c0e0b0a0d02"),
        HTTP_X_API_KEY=secret,
    )
    assert response.status_code == 202, response.content

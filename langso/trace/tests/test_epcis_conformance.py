"""EPCIS 2.0 as partners' own software sees it: GS1's example documents (read from
../shared/conformance/epcis-gs1-examples/, never copied here) and the platform's own exports
go in through capture and come back from the query interface meaning the same thing, as a
JSON-LD processor (pyld) and GS1's reference event hash see it; in CI the independent
epcis2.js SDK validates and hashes them too."""

import copy
import json
from pathlib import Path

import pytest
from django.db import transaction

from langso.people.models import User
from langso.trace import epcis
from langso.trace.actions import create_api_key, record_event
from langso.trace.models import CaptureJob, TraceEvent

from .conformance import (
    event_hashes,
    event_list,
    expanded_events,
    gs1_examples,
    node_tool,
    shared_dir,
)
from .conftest import vn


def _example_names() -> list[str]:
    try:
        return [p.name for p in gs1_examples()]
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


EXAMPLES = _example_names()


def _example(name: str) -> dict:
    return json.loads((shared_dir("conformance", "epcis-gs1-examples") / name).read_text())


@pytest.fixture
def auth(producer_user, producer):
    secret = create_api_key(actor=producer_user, producer=producer, name="Phần mềm đối tác")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _capture(client, auth, doc):
    return client.post(
        "/api/trace/capture", data=json.dumps(doc), content_type="application/ld+json", **auth
    )


def _query(client, auth, query=""):
    response = client.get(f"/api/trace/events{query}", **auth)
    assert response.status_code == 200, response.content
    return response.json()


def _round_trip(client, auth, doc) -> dict:
    response = _capture(client, auth, doc)
    assert response.status_code == 202, response.content
    return _query(client, auth)


def test_the_gs1_examples_are_all_there():
    assert len(EXAMPLES) >= 9, "../shared/conformance/epcis-gs1-examples/ is incomplete"


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_gs1_example_comes_back_from_the_query_with_the_same_json_ld_expansion(
    client, auth, name
):
    original = _example(name)
    answer = _round_trip(client, auth, copy.deepcopy(original))
    assert epcis.schema_errors(answer) == []
    assert sorted(expanded_events(answer)) == sorted(expanded_events(original))
    as_document = _query(client, auth, "?format=document")
    assert epcis.schema_errors(as_document) == []
    assert sorted(expanded_events(as_document)) == sorted(expanded_events(original))


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_gs1_example_keeps_its_event_hashes_through_capture_and_query(client, auth, name):
    original = _example(name)
    answer = _round_trip(client, auth, copy.deepcopy(original))
    before = sorted(h or "" for h in event_hashes(original))
    after = sorted(h or "" for h in event_hashes(answer))
    assert after == before


def test_extension_prefixes_bound_differently_by_two_senders_keep_each_meaning(client, auth):
    def sent(iri, event_id, typed):
        context = {"ext": iri}
        if typed:
            context["ext:count"] = {"@type": "xsd:integer"}
        return {
            "@context": [epcis.EPCIS_CONTEXT, context],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-01-05T00:00:00Z",
            "epcisBody": {
                "eventList": [
                    {
                        "type": "ObjectEvent",
                        "eventID": event_id,
                        "eventTime": "2026-01-05T08:00:00+07:00",
                        "eventTimeZoneOffset": "+07:00",
                        "action": "OBSERVE",
                        "epcList": ["urn:epc:id:sgtin:8938503.000001.1"],
                        "ext:count": "12",
                        "ext:note": "ext:thing",
                    }
                ]
            },
        }

    first = sent("https://a.example.vn/ns/", "urn:uuid:5a3c1e20-0001-4000-8000-000000000001", True)
    second = sent(
        "https://b.example.vn/ns/", "urn:uuid:5a3c1e20-0002-4000-8000-000000000002", False
    )
    third = sent("urn:langso:other:", "urn:uuid:5a3c1e20-0003-4000-8000-000000000003", False)
    del third["@context"][1]  # a sender that never bound the prefix at all
    for doc in (first, second, third):
        assert _capture(client, auth, copy.deepcopy(doc)).status_code == 202
    answer = _query(client, auth)
    assert epcis.schema_errors(answer) == []
    expected = expanded_events(first) + expanded_events(second) + expanded_events(third)
    assert sorted(expanded_events(answer)) == sorted(expected)
    assert len(set(expected)) == 3  # the three really differ


def test_the_same_event_captured_twice_is_stored_once(client, auth):
    doc = _example("Example_9.6.1-ObjectEvent.jsonld")
    assert _capture(client, auth, copy.deepcopy(doc)).json()["captured"] == 2
    again = _capture(client, auth, copy.deepcopy(doc))
    assert again.status_code == 202
    assert (again.json()["success"], again.json()["captured"]) == (True, 0)
    assert TraceEvent.objects.count() == 2


def test_a_different_event_under_a_stored_event_id_fails_the_capture_naming_it(client, auth):
    declared = _example("WithErrorDeclaration__ErrorDeclarationAndCorrectiveEvent.jsonld")
    assert _capture(client, auth, declared).status_code == 202
    stored = TraceEvent.objects.count()
    # GS1's "all possible fields" example reuses the eventID urn:uuid:374d95fc-… for an
    # ObjectEvent; its first event here is a harmless one that must not be stored either
    other = _example("WithFullCombinationOfFields__object_event_all_possible_fields.jsonld")
    harmless = _example("Example_9.6.2-ObjectEvent.jsonld")["epcisBody"]["eventList"][0]
    other["epcisBody"]["eventList"].insert(0, harmless)
    response = _capture(client, auth, other)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "trace.event_id_conflict"
    assert "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8" in body["detail"]
    assert "thứ 2" in body["detail"]
    assert TraceEvent.objects.count() == stored
    job = client.get(response["Location"], **auth).json()
    assert (job["success"], job["captured"], job["running"]) == (False, 0, False)
    assert "urn:uuid:374d95fc" in job["errors"][0]
    assert CaptureJob.objects.get(capture_id=body["captureID"]).success is False


def test_a_changed_event_sent_again_without_error_declaration_is_refused(client, auth):
    doc = _example("Example_9.6.2-ObjectEvent.jsonld")
    assert _capture(client, auth, copy.deepcopy(doc)).status_code == 202
    changed = copy.deepcopy(doc)
    changed["epcisBody"]["eventList"][0]["disposition"] = "damaged"
    response = _capture(client, auth, changed)
    assert response.status_code == 409
    assert response.json()["code"] == "trace.event_id_conflict"
    assert TraceEvent.objects.get().document["disposition"] != "damaged"


def test_an_error_declaration_under_a_stored_event_id_marks_that_event(client, auth):
    doc = _example("Example_9.6.2-ObjectEvent.jsonld")
    assert _capture(client, auth, copy.deepcopy(doc)).status_code == 202
    declaration = copy.deepcopy(doc)
    declaration["epcisBody"]["eventList"][0]["errorDeclaration"] = {
        "declarationTime": "2026-01-05T00:00:00Z",
        "reason": "incorrect_data",
    }
    assert _capture(client, auth, declaration).status_code == 202
    original = TraceEvent.objects.get(is_error_declaration=False)
    assert original.error_declarations.count() == 1
    assert _capture(client, auth, copy.deepcopy(declaration)).json()["captured"] == 0


# --- the platform's own exports -------------------------------------------------------------


@pytest.fixture
def own_story(producer_user, batch):
    from decimal import Decimal

    record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 1),
        details={
            "input_type": "pesticide",
            "input_product": "Abamectin 3.6EC",
            "method": "drone",
            "phi_days": 7,
        },
    )
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
        kind="inspection",
        event_time=vn(2026, 4, 2),
        details={"results": [{"name": "Abamectin", "value": "0", "passed": True}]},
    )
    return batch


def test_the_platforms_own_export_validates_and_captures_back_as_the_same_events(
    client, auth, own_story
):
    from langso.trace.queries import batch_documents

    export = json.loads(json.dumps(epcis.document(batch_documents(own_story))))
    assert epcis.schema_errors(export) == []
    answer = _query(client, auth)
    assert sorted(expanded_events(answer)) == sorted(expanded_events(export))
    again = _capture(client, auth, export)
    assert (again.status_code, again.json()["captured"]) == (202, 0)
    assert event_hashes(answer) == event_hashes(export)


# --- the independent validator (npm epcis2.js; CI installs it) ------------------------------


@pytest.fixture
def partner_auth(commune):
    from langso.economy.models import Producer

    partner = Producer.objects.create(
        kind="enterprise", name="Công ty Đối tác", commune=commune, province_code="19"
    )
    root = User.objects.create_superuser("root", "root@example.vn", "pw")
    secret = create_api_key(actor=root, producer=partner, name="Phần mềm đối tác")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_epcis2_js_accepts_every_document_the_query_answers_and_hashes_agree(
    client, auth, partner_auth, own_story
):
    from langso.trace.queries import batch_documents

    originals, answers = [], []
    for name in EXAMPLES:  # each alone: two of them share an eventID
        original = _example(name)
        with transaction.atomic():
            answers.append(_round_trip(client, partner_auth, copy.deepcopy(original)))
            answers.append(_query(client, partner_auth, "?format=document"))
            transaction.set_rollback(True)
        originals.append(original)
    own = json.loads(json.dumps(epcis.document(batch_documents(own_story))))
    answers += [own, _query(client, auth)]
    checked = node_tool("epcis-check.js", originals + answers)
    before, after = checked[: len(originals)], checked[len(originals) :]
    assert [(r["valid"], r["errors"]) for r in after] == [(True, [])] * len(answers)
    for index, original in enumerate(before):
        for answer in after[2 * index : 2 * index + 2]:
            assert sorted(map(str, answer["hashes"])) == sorted(map(str, original["hashes"]))
    own_events = {json.dumps(e, sort_keys=True) for e in event_list(own)}
    assert len(own_events) == len(checked[-1]["hashes"])


def test_the_shared_folder_is_found_beside_the_checkout_or_skipped_with_a_reason():
    folder = shared_dir("conformance", "epcis-gs1-examples")
    assert isinstance(folder, Path) and any(folder.iterdir())

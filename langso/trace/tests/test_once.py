"""An EPCIS capture sent again with the same Idempotency-Key gets the first answer."""

import uuid

from langso.trace.models import CaptureJob, TraceEvent

from .test_api import _doc, _post, harvested, secret  # noqa: F401 (fixtures)


def test_a_capture_sent_twice_with_one_key_is_stored_once(client, harvested, secret):  # noqa: F811
    key = str(uuid.uuid4())
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_IDEMPOTENCY_KEY": key}
    doc = _doc(harvested)  # a retry sends the same document (its creationDate included)
    first = _post(client, doc, **auth)
    second = _post(client, doc, **auth)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json() and first["Location"] == second["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert TraceEvent.objects.filter(kind="shipping").count() == 1
    assert CaptureJob.objects.count() == 1
    other = _post(
        client, _doc(harvested, event_id="urn:uuid:7c1e2a5b-0000-4c1c-9a51-0c0e0b0a0d02"), **auth
    )
    assert other.status_code == 422 and other.json()["code"] == "core.idempotency_key_reused"
    assert TraceEvent.objects.filter(kind="shipping").count() == 1


def test_the_same_key_from_another_api_key_is_its_own(
    client,
    harvested,  # noqa: F811
    secret,  # noqa: F811
    producer_user,
    producer,
):
    from langso.trace.actions import create_api_key

    other = create_api_key(actor=producer_user, producer=producer, name="Phần mềm khác")[1]
    key = str(uuid.uuid4())
    first = _post(
        client, _doc(harvested), HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_IDEMPOTENCY_KEY=key
    )
    second = _post(
        client,
        _doc(harvested, event_id="urn:uuid:7c1e2a5b-0000-4c1c-9a51-0c0e0b0a0d03"),
        HTTP_AUTHORIZATION=f"Bearer {other}",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert first.status_code == second.status_code == 202
    assert first.json()["captureID"] != second.json()["captureID"]
    assert TraceEvent.objects.filter(kind="shipping").count() == 2


def test_a_double_submitted_event_form_records_the_event_once(client, story, producer_user):
    """F5 or a double click on "Ghi sự kiện" records one event, and both answers lead back
    to the batch page."""
    from django.urls import reverse

    client.force_login(producer_user)
    url = reverse("trace:batch_detail", kwargs={"public_id": story.public_id})
    assert 'name="submission_token"' in client.get(url).content.decode()
    before = TraceEvent.objects.filter(batches=story).count()
    data = {
        "kind": "inspection",
        "event_time": "2026-05-02T09:30",
        "laboratory": "Trung tâm Kiểm nghiệm",
        "passed": "1",
        "submission_token": str(uuid.uuid4()),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert TraceEvent.objects.filter(batches=story).count() == before + 1
    # a new form (a new token) records a new event
    client.post(url, {**data, "submission_token": str(uuid.uuid4())})
    assert TraceEvent.objects.filter(batches=story).count() == before + 2

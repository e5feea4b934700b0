from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from langso.society.actions.environment import limit_for, record_reading
from langso.society.exceptions import NotAllowed
from langso.society.models import Alert, Parameter, Reading, StationKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(*args):
    return datetime(*args, tzinfo=HCM)


def test_the_limit_in_force_depends_on_the_date_of_the_reading(db):
    ph = Parameter.objects.get(code="ph")
    assert (
        limit_for(ph, StationKind.WATER_SUPPLY, _at(2025, 6, 30, 9)).standard
        == "QCVN 01-1:2018/BYT"
    )
    assert (
        limit_for(ph, StationKind.WATER_SUPPLY, _at(2025, 7, 1, 9)).standard == "QCVN 01-1:2024/BYT"
    )
    assert limit_for(ph, StationKind.WATER_SUPPLY, _at(2018, 1, 1, 9)) is None


def test_a_reading_over_the_limit_raises_an_alert_and_mails_the_officials_after_commit(
    official, station, django_capture_on_commit_callbacks
):
    official.email = "canbo@votranh.example"
    official.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        reading, created = record_reading(
            actor=official,
            station=station,
            parameter_code="arsenic",
            observed_at=_at(2026, 3, 1, 8),
            value=0.03,
        )
    assert created and reading.within_limits is False
    alert = Alert.objects.get(reading=reading)
    assert "Asen" in alert.message and "QCVN 01-1:2024/BYT" in alert.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo@votranh.example"]


def test_a_reading_within_the_limit_raises_no_alert(official, station):
    reading, _ = record_reading(
        actor=official,
        station=station,
        parameter_code="ph",
        observed_at=_at(2026, 3, 1, 8),
        value=7.2,
    )
    assert reading.within_limits is True
    assert not Alert.objects.exists()


def test_coliforms_must_be_strictly_below_three(official, station):
    reading, _ = record_reading(
        actor=official,
        station=station,
        parameter_code="coliforms",
        observed_at=_at(2026, 3, 1, 8),
        value=3,
    )
    assert reading.within_limits is False


def test_a_resident_cannot_enter_readings(resident_user, station):
    with pytest.raises(NotAllowed):
        record_reading(
            actor=resident_user,
            station=station,
            parameter_code="ph",
            observed_at=_at(2026, 3, 1, 8),
            value=7,
        )


def _post(client, station, token, readings):
    return client.post(
        f"/api/society/stations/{station.code}/readings",
        {"readings": readings},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_sensor_ingest_with_the_station_token_stores_readings(client, station):
    response = _post(
        client,
        station,
        station.plain_token,
        [
            {
                "id": "r-1",
                "parameter": "ph",
                "observed_at": "2026-03-01T08:00:00+07:00",
                "value": 7.0,
            },
            {
                "id": "r-2",
                "parameter": "turbidity",
                "observed_at": "2026-03-01T08:00:00+07:00",
                "value": 5.0,
            },
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 2 and body["duplicates"] == 0
    assert [r["within_limits"] for r in body["results"]] == [True, False]
    assert Alert.objects.count() == 1


def test_a_sensor_retry_never_duplicates_a_reading(client, station):
    batch = [
        {"id": "r-1", "parameter": "ph", "observed_at": "2026-03-01T08:00:00+07:00", "value": 5.0}
    ]
    _post(client, station, station.plain_token, batch)
    retry = _post(client, station, station.plain_token, batch)
    assert retry.status_code == 200
    assert retry.json()["results"][0]["status"] == "duplicate"
    assert retry.json()["duplicates"] == 1
    # a retry without the id but for the same instant is the same reading too
    again = _post(
        client,
        station,
        station.plain_token,
        [{"parameter": "ph", "observed_at": "2026-03-01T01:00:00Z", "value": 5.0}],
    )
    assert again.json()["results"][0]["status"] == "duplicate"
    assert Reading.objects.count() == 1
    assert Alert.objects.count() == 1


def test_ingest_refuses_a_wrong_token_and_stores_nothing(client, station):
    response = _post(
        client,
        station,
        "not-the-token",
        [{"parameter": "ph", "observed_at": "2026-03-01T08:00:00+07:00", "value": 7.0}],
    )
    assert response.status_code == 403
    assert response.json()["code"] == "society.station_token_invalid"
    assert not Reading.objects.exists()
    assert station.token_hash != station.plain_token  # only a hash is stored


def test_ingest_reports_an_unknown_parameter_per_reading(client, station):
    body = _post(
        client,
        station,
        station.plain_token,
        [
            {
                "id": "x",
                "parameter": "mercury-xyz",
                "observed_at": "2026-03-01T08:00:00+07:00",
                "value": 1.0,
            }
        ],
    ).json()
    assert body["results"][0] == {
        "id": "x",
        "parameter": "mercury-xyz",
        "observed_at": "2026-03-01T08:00:00+07:00",
        "status": "error",
        "code": "society.unknown_parameter",
        "within_limits": None,
    }


def test_the_station_page_draws_a_chart_and_lets_officials_enter_readings(
    client, official, resident_user, station
):
    for day, value in ((1, 7.0), (8, 9.1), (15, 7.3)):
        record_reading(
            actor=official,
            station=station,
            parameter_code="ph",
            observed_at=_at(2026, 3, day, 8),
            value=value,
        )
    url = reverse("society:station", args=[station.code])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "<polyline" in text
    assert "<circle" in text  # the reading over the limit is marked
    assert "ngoài giới hạn 6–8.5 (QCVN 01-1:2024/BYT)" in text
    assert "Nhập kết quả" not in text
    client.force_login(resident_user)
    assert (
        client.post(
            url, {"parameter": "ph", "observed_at": "2026-03-20T08:00", "value": "7"}
        ).status_code
        == 403
    )
    client.force_login(official)
    response = client.post(
        url, {"parameter": "ph", "observed_at": "2026-03-20T08:00", "value": "7"}
    )
    assert response.status_code == 302
    assert Reading.objects.count() == 4


def test_stations_appear_on_the_map_layer_with_their_open_alerts(
    client, commune, layers, official, station
):
    record_reading(
        actor=official,
        station=station,
        parameter_code="ph",
        observed_at=_at(2026, 3, 1, 8),
        value=4.0,
    )
    body = client.get(f"/api/society/layers/nuoc-moi-truong.geojson?commune={commune.code}").json()
    props = body["features"][0]["properties"]
    assert props["code"] == station.code and props["open_alerts"] == 1


def test_an_official_marks_an_alert_handled_and_a_visitor_cannot(client, official, station):
    record_reading(
        actor=official,
        station=station,
        parameter_code="ph",
        observed_at=_at(2026, 3, 1, 8),
        value=4.0,
    )
    url = reverse("society:station", args=[station.code])
    alert = Alert.objects.get()
    assert client.post(url, {"acknowledge": alert.pk}).status_code == 403
    client.force_login(official)
    assert client.post(url, {"acknowledge": alert.pk}).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == official


def test_a_reading_form_sent_twice_records_once_and_says_so(client, official, station):
    import uuid

    client.force_login(official)
    url = reverse("society:station", args=[station.code])
    assert 'name="submission_token"' in client.get(url).content.decode()
    data = {
        "parameter": "ph",
        "observed_at": "2026-03-20T08:00",
        "value": "7",
        "submission_token": str(uuid.uuid4()),
    }
    first = client.post(url, data, follow=True)
    assert "Đã lưu kết quả." in first.content.decode()
    second = client.post(url, {**data, "value": "7.5"}, follow=True)
    assert "Kết quả này đã được lưu." in second.content.decode()
    assert Reading.objects.get().value == 7


def test_a_sensor_batch_sent_again_with_its_key_gets_the_first_answer(client, station):
    readings = [
        {"id": "r-1", "parameter": "ph", "observed_at": "2026-03-01T08:00:00+07:00", "value": 7.0}
    ]
    key = {"Authorization": f"Bearer {station.plain_token}", "Idempotency-Key": "lo-1"}

    def send(value):
        return client.post(
            f"/api/society/stations/{station.code}/readings",
            {"readings": [{**readings[0], "value": value}]},
            content_type="application/json",
            headers=key,
        )

    first, second = send(7.0), send(7.0)
    assert first.json() == second.json() and second.json()["created"] == 1
    assert send(8.0).json()["code"] == "core.idempotency_key_reused"
    assert Reading.objects.count() == 1

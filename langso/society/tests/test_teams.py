import uuid
from datetime import date

import pytest
from django.urls import reverse

from conftest import make_user
from langso.people.models import Role
from langso.society.models import DigitalTeam, HelpSession, TeamMember


@pytest.fixture
def team(commune, hamlet, team_member):
    team = DigitalTeam.objects.create(commune=commune, hamlet=hamlet, name="Tổ CNS Khe Cốc")
    TeamMember.objects.create(team=team, user=team_member, is_leader=True)
    return team


def _sync(client, sessions):
    return client.post(
        "/api/society/help-sessions", {"sessions": sessions}, content_type="application/json"
    )


def _session(team, **extra):
    return {
        "id": str(uuid.uuid4()),
        "team": team.pk,
        "topic": "vneid",
        "occurred_at": "2026-11-20T09:00:00+07:00",
        **extra,
    }


def test_a_queued_session_is_stored_once_even_when_synced_twice(
    client, team, team_member, household
):
    client.force_login(team_member)
    item = _session(team, household_code=household.code, people_helped=2)
    first = _sync(client, [item])
    assert first.status_code == 200
    assert first.json()["results"] == [
        {"id": item["id"], "status": "created", "code": None, "detail": None}
    ]
    second = _sync(client, [item, item])
    assert [r["status"] for r in second.json()["results"]] == ["duplicate", "duplicate"]
    session = HelpSession.objects.get()
    assert str(session.pk) == item["id"] and session.household == household
    assert session.helper == team_member


def test_someone_outside_the_team_cannot_log_for_it(client, team, commune, other_official):
    outsider = make_user("congnghe.khac", Role.DIGITAL_TEAM_MEMBER, commune)
    for user in (outsider, other_official):
        client.force_login(user)
        result = _sync(client, [_session(team)]).json()["results"][0]
        assert result["status"] == "error" and result["code"] == "society.not_team_member"
    assert not HelpSession.objects.exists()


def test_a_household_of_another_commune_is_refused(client, team, team_member, other_household):
    client.force_login(team_member)
    result = _sync(client, [_session(team, household_code=other_household.code)]).json()
    assert result["results"][0]["code"] == "core.not_found"


def test_sync_requires_a_login(client, team):
    assert _sync(client, [_session(team)]).status_code == 401


def test_the_offline_page_carries_the_queue_script_and_the_service_worker(
    client, team, team_member
):
    client.force_login(team_member)
    response = client.get(reverse("society:help_log"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "society/helplog.js" in text and reverse("society:help_log_sw") in text
    assert "Tổ CNS Khe Cốc" in text
    sw = client.get(reverse("society:help_log_sw"))
    assert sw["Content-Type"] == "application/javascript"


def test_the_training_page_shows_the_share_of_officials_trained(
    client, commune, official, leader, resident_user
):
    from langso.society.models import Attendance, Course, TrainingSession

    course = Course.objects.create(unit=commune, title="Kỹ năng số cho cán bộ xã")
    session = TrainingSession.objects.create(course=course, held_on=date(2026, 1, 10))
    Attendance.objects.create(session=session, user=official)
    client.force_login(leader)
    response = client.get(reverse("society:training"))
    assert response.status_code == 200
    assert "1/2" in response.content.decode()
    client.force_login(resident_user)
    assert client.get(reverse("society:training")).status_code == 403

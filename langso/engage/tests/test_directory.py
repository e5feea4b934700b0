import pytest
from django.urls import reverse

from langso.engage import actions
from langso.engage.exceptions import NotAllowed
from langso.engage.models import DirectoryEntry


@pytest.fixture
def entry(official, leader, commune):
    official.first_name, official.last_name = "Lan", "Trần Thị"
    official.save()
    return actions.create_directory_entry(
        actor=leader,
        user=official,
        unit=commune,
        position="Công chức Văn phòng - Thống kê",
        phone="0208 3877 123",
        email="lan@votranh.gov.vn",
        working_hours="Thứ Hai - Thứ Sáu, 7:30-17:00",
    )


def test_a_new_directory_line_is_private_until_the_official_publishes_it(client, entry, commune):
    assert entry.listed is False and entry.phone_public is False
    page = client.get(reverse("engage:directory"), {"xa": commune.code})
    assert "Trần Thị Lan" not in page.content.decode()
    assert client.get("/api/engage/directory", {"commune": commune.code}).json() == []


def test_the_official_chooses_which_fields_are_public(client, entry, official, commune):
    actions.update_directory_entry(actor=official, entry=entry, listed=True, phone_public=True)
    page = client.get(reverse("engage:directory"), {"xa": commune.code}).content.decode()
    assert "Trần Thị Lan" in page and "0208 3877 123" in page
    assert "Thứ Hai - Thứ Sáu" in page
    assert "lan@votranh.gov.vn" not in page  # e-mail not made public
    data = client.get("/api/engage/directory", {"commune": commune.code}).json()
    assert data == [
        {
            "name": "Trần Thị Lan",
            "unit": "Xã Vô Tranh",
            "unit_code": "05641",
            "position": "Công chức Văn phòng - Thống kê",
            "department": "",
            "phone": "0208 3877 123",
            "email": "",
            "working_hours": "Thứ Hai - Thứ Sáu, 7:30-17:00",
        }
    ]
    actions.update_directory_entry(actor=official, entry=entry, phone_public=False)
    assert (
        "0208 3877 123"
        not in client.get(reverse("engage:directory"), {"xa": commune.code}).content.decode()
    )


def test_a_leader_cannot_publish_a_colleagues_phone(entry, leader):
    with pytest.raises(NotAllowed) as exc:
        actions.update_directory_entry(actor=leader, entry=entry, phone_public=True)
    assert exc.value.message == "Chỉ chính cán bộ đó mới quyết định công khai thông tin nào."
    actions.update_directory_entry(actor=leader, entry=entry, position="Văn phòng UBND")
    entry.refresh_from_db()
    assert entry.position == "Văn phòng UBND"


def test_another_communes_official_cannot_touch_the_line(entry, other_official, commune, official):
    with pytest.raises(NotAllowed):
        actions.update_directory_entry(actor=other_official, entry=entry, position="X")
    with pytest.raises(NotAllowed):
        actions.create_directory_entry(actor=other_official, user=official, unit=commune)


def test_officials_edit_their_own_line_on_the_web(client, official, commune):
    client.force_login(official)
    page = client.get(reverse("engage:directory_me"))
    assert page.status_code == 200
    response = client.post(
        reverse("engage:directory_me"),
        {
            "display_name": "Trần Thị Lan",
            "position": "Công chức",
            "phone": "0912000111",
            "working_hours": "7:30-17:00",
            "listed": "on",
            "phone_public": "on",
            "hours_public": "on",
            "position_public": "on",
        },
    )
    assert response.status_code == 302
    entry = DirectoryEntry.objects.get(user=official)
    assert entry.listed and entry.phone_public and entry.phone == "0912000111"


def test_residents_have_no_directory_line(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("engage:directory_me")).status_code == 403

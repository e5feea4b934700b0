"""The access matrix: who may list, read, edit and export whose households, through the
pages, the admin and the API."""

from datetime import date

import pytest
from django.urls import reverse

from langso.people.models import Household, Relation, Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour_household(neighbour_commune):
    hh = Household.objects.create(
        commune=neighbour_commune, province_code="19", code="05653-00001", search_key="05653-00001"
    )
    head = Resident.objects.create(
        household=hh,
        commune=neighbour_commune,
        province_code="19",
        full_name="Lý Văn Cường",
        sex="M",
        date_of_birth=date(1966, 3, 3),
        relation_to_head=Relation.HEAD,
        search_key="ly van cuong",
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


@pytest.fixture
def neighbour_in_vo_tranh(commune, hamlet):
    """A second household of Vô Tranh, which the resident of the first must not see."""
    hh = Household.objects.create(
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        code="05641-00002",
        search_key="05641-00002",
    )
    head = Resident.objects.create(
        household=hh,
        commune=commune,
        province_code="19",
        full_name="Đinh Thị Yến",
        sex="F",
        date_of_birth=date(1985, 3, 3),
        relation_to_head=Relation.HEAD,
        search_key="dinh thi yen",
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


# (user fixture, households it must see, households it must not see)
MATRIX = [
    (
        "official",
        ["household", "neighbour_in_vo_tranh"],
        ["other_household", "neighbour_household"],
    ),
    ("leader", ["household"], ["other_household", "neighbour_household"]),
    (
        "other_official",
        ["other_household"],
        ["household", "neighbour_in_vo_tranh", "neighbour_household"],
    ),
    ("province_officer", ["household", "neighbour_household"], ["other_household"]),
    (
        "resident_user",
        ["household"],
        ["neighbour_in_vo_tranh", "other_household", "neighbour_household"],
    ),
]
SEE = [(u, h) for u, seen, _ in MATRIX for h in seen]
HIDDEN = [(u, h) for u, _, hidden in MATRIX for h in hidden]


@pytest.fixture
def world(household, other_household, neighbour_household, neighbour_in_vo_tranh):
    return locals()


def _login(client, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("user_fixture", "hh_fixture"), SEE)
def test_allowed_users_list_and_read_the_household(
    client, request, world, user_fixture, hh_fixture
):
    _login(client, request, user_fixture)
    hh = world[hh_fixture]
    assert hh.code in client.get(reverse("people:households")).content.decode()
    assert client.get(reverse("people:household_detail", args=[hh.pk])).status_code == 200
    assert client.get(reverse("people:resident_detail", args=[hh.head_id])).status_code == 200
    codes = [
        i["code"] for i in client.get("/api/people/households", {"limit": 200}).json()["items"]
    ]
    assert hh.code in codes
    assert client.get(f"/api/people/households/{hh.pk}").status_code == 200
    assert client.get(f"/api/people/residents/{hh.head_id}").status_code == 200


@pytest.mark.parametrize(("user_fixture", "hh_fixture"), HIDDEN)
def test_other_units_households_can_be_neither_listed_nor_read(
    client, request, world, user_fixture, hh_fixture
):
    _login(client, request, user_fixture)
    hh = world[hh_fixture]
    link = reverse("people:household_detail", args=[hh.pk])
    for params in ({}, {"q": hh.code}, {"q": hh.head.full_name}):
        page = client.get(reverse("people:households"), params).content.decode()
        echoed = f'value="{params.get("q", "")}"'
        assert link not in page
        assert hh.head.full_name not in page.replace(echoed, "")
    assert client.get(reverse("people:household_detail", args=[hh.pk])).status_code == 404
    assert client.get(reverse("people:resident_detail", args=[hh.head_id])).status_code == 404
    assert (
        client.post(
            reverse("people:resident_reveal", args=[hh.head_id]), {"purpose": "x"}
        ).status_code
        == 404
    )
    body = client.get("/api/people/households", {"q": hh.code, "limit": 200}).json()
    assert hh.code not in [i["code"] for i in body["items"]]
    assert client.get(f"/api/people/households/{hh.pk}").status_code == 404
    assert client.get(f"/api/people/residents/{hh.head_id}").status_code == 404
    response = client.post(
        f"/api/people/residents/{hh.head_id}/reveal",
        {"purpose": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("user_fixture", "hh_fixture"), HIDDEN)
def test_other_units_households_cannot_be_edited(client, request, world, user_fixture, hh_fixture):
    _login(client, request, user_fixture)
    hh = world[hh_fixture]
    for url in (
        reverse("people:household_edit", args=[hh.pk]),
        reverse("people:resident_create", args=[hh.pk]),
        reverse("people:resident_edit", args=[hh.head_id]),
    ):
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url,
                {
                    "code": "HACKED",
                    "address_line": "x",
                    "full_name": "X",
                    "sex": "M",
                    "date_of_birth": "2000-01-01",
                    "relation_to_head": "other",
                },
            ).status_code
            == 404
        )
    hh.refresh_from_db()
    assert hh.code != "HACKED" and hh.members.count() == 1


@pytest.mark.parametrize(
    ("user_fixture", "code"),
    [
        ("official", "00004"),
        ("official", "05653"),
        ("other_official", "05641"),
        ("province_officer", "00004"),
        ("resident_user", "05641"),
    ],
)
def test_other_units_cannot_be_exported(client, request, world, user_fixture, code):
    _login(client, request, user_fixture)
    assert client.get(reverse("people:export"), {"xa": code}).status_code == 404
    assert client.get("/api/people/export", {"commune": code}).status_code == 404


@pytest.mark.parametrize(
    ("user_fixture", "code"),
    [
        ("official", "05641"),
        ("leader", "05641"),
        ("other_official", "00004"),
        ("province_officer", "05641"),
        ("province_officer", "05653"),
    ],
)
def test_own_units_can_be_exported(client, request, world, user_fixture, code):
    _login(client, request, user_fixture)
    assert client.get(reverse("people:export"), {"xa": code}).status_code == 200
    assert client.get("/api/people/export", {"commune": code}).status_code == 200


@pytest.mark.parametrize(
    "user_fixture", ["province_officer", "resident_user", "health_worker", "other_official"]
)
def test_only_officials_of_the_commune_may_edit_its_households(
    client, request, world, user_fixture
):
    _login(client, request, user_fixture)
    hh = world["household"]
    expected = 403 if user_fixture in ("province_officer", "resident_user") else 404
    if user_fixture == "health_worker":
        expected = 403  # no population scope at all
    assert client.get(reverse("people:household_edit", args=[hh.pk])).status_code == expected
    assert client.post(
        reverse("people:household_create") + "?xa=05641", {"code": "05641-77777"}
    ).status_code in (403, 404)
    assert not Household.objects.filter(code="05641-77777").exists()


@pytest.mark.parametrize("user_fixture", ["official", "leader"])
def test_commune_officials_may_edit_their_households(client, request, world, user_fixture):
    _login(client, request, user_fixture)
    hh = world["household"]
    assert client.get(reverse("people:household_edit", args=[hh.pk])).status_code == 200
    assert client.get(reverse("people:resident_edit", args=[hh.head_id])).status_code == 200


# ---- admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "hh_fixture"), [(u, h) for u, h in HIDDEN if u != "resident_user"]
)
def test_admin_hides_other_units_households(client, request, world, user_fixture, hh_fixture):
    _login(client, request, user_fixture)
    hh = world[hh_fixture]
    changelist = client.get("/admin/people/household/")
    assert changelist.status_code == 200 and hh.code not in changelist.content.decode()
    residents = client.get("/admin/people/resident/")
    assert residents.status_code == 200
    assert hh.head.full_name not in residents.content.decode()
    change = client.get(f"/admin/people/household/{hh.pk}/change/")
    assert change.status_code == 302  # "does not exist" redirect to the admin index
    client.post(
        f"/admin/people/household/{hh.pk}/change/", {"commune": hh.commune_id, "code": "HACKED"}
    )
    assert client.get(f"/admin/people/resident/{hh.head_id}/change/").status_code == 302
    hh.refresh_from_db()
    assert hh.code != "HACKED"


@pytest.mark.parametrize(
    ("user_fixture", "hh_fixture"), [(u, h) for u, h in SEE if u != "resident_user"]
)
def test_admin_shows_own_units_households(client, request, world, user_fixture, hh_fixture):
    _login(client, request, user_fixture)
    hh = world[hh_fixture]
    assert hh.code in client.get("/admin/people/household/").content.decode()
    assert client.get(f"/admin/people/household/{hh.pk}/change/").status_code == 200


def test_admin_resident_list_masks_ids_and_change_form_shows_them_only_with_the_right(
    client, official, province_officer, household
):
    from langso.core.models import AuditAction, AuditEvent

    client.force_login(official)
    listing = client.get("/admin/people/resident/").content.decode()
    assert "0190******45" in listing and "019080012345" not in listing
    form = client.get(f"/admin/people/resident/{household.head_id}/change/").content.decode()
    assert "019080012345" in form
    assert AuditEvent.objects.filter(action=AuditAction.READ, actor=official).count() == 1
    client.force_login(province_officer)
    form = client.get(f"/admin/people/resident/{household.head_id}/change/").content.decode()
    assert "0190******45" in form and "019080012345" not in form


def test_admin_refuses_residents_and_anonymous(client, resident_user, household):
    assert client.get("/admin/people/household/").status_code == 302
    client.force_login(resident_user)
    assert client.get("/admin/people/household/").status_code == 302


def test_admin_role_assignments_are_scoped_and_only_leaders_grant_them(
    client, official, leader, other_official
):
    client.force_login(official)
    page = client.get("/admin/people/roleassignment/").content.decode()
    assert "canbo.votranh" in page and "canbo.badinh" not in page
    assignment = official.roles.get()
    assert client.get(f"/admin/people/roleassignment/{assignment.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/people/roleassignment/{assignment.pk}/change/",
        {"user": official.pk, "role": "province_officer", "unit": assignment.unit_id},
    )
    assert response.status_code == 403
    client.force_login(leader)
    page = client.get("/admin/people/roleassignment/add/").content.decode()
    assert 'name="role"' in page and "province_officer" not in page


# ---- anonymous -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["people:households", "people:import", "people:export", "people:household_create"]
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_anonymous_gets_401_from_every_people_endpoint(client, household):
    for method, url in [
        ("get", "/api/people/households"),
        ("get", f"/api/people/households/{household.pk}"),
        ("get", f"/api/people/residents/{household.head_id}"),
        ("post", f"/api/people/residents/{household.head_id}/reveal"),
        ("post", "/api/people/imports"),
        ("get", "/api/people/export?commune=05641"),
    ]:
        assert getattr(client, method)(url).status_code == 401, url


def test_users_without_population_roles_are_refused_the_pages(client, health_worker, household):
    client.force_login(health_worker)
    assert client.get(reverse("people:households")).status_code == 403
    assert client.get(reverse("people:household_detail", args=[household.pk])).status_code == 403


def test_admin_household_changelist_query_count_does_not_grow_with_rows(
    client, official, commune, hamlet, household, django_assert_max_num_queries
):
    from .test_views import add_households

    add_households(commune, hamlet, 40)
    client.force_login(official)
    with django_assert_max_num_queries(16):
        response = client.get("/admin/people/household/")
    assert response.content.decode().count("05641-2") >= 40

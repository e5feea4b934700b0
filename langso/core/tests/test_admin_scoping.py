from datetime import date

from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory

from langso.people.admin_scoping import ReadOnlyScopedAdmin
from langso.people.models import Household


class _Households(ReadOnlyScopedAdmin):
    pass


class _FrozenHouseholds(ReadOnlyScopedAdmin):
    deletable = False


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_a_read_only_admin_lets_an_official_look_but_never_add_change_or_delete(
    official, household
):
    admin = _Households(Household, AdminSite())
    request = _request(official)
    assert admin.has_view_permission(request, household)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, household)
    assert not admin.has_delete_permission(request, household)
    assert list(admin.get_queryset(request)) == [household]


def test_a_read_only_admin_can_also_refuse_deletes_to_superusers(household):
    from conftest import make_user

    root = make_user("root", is_staff=True, is_superuser=True)
    assert _Households(Household, AdminSite()).has_delete_permission(_request(root), household)
    assert not _FrozenHouseholds(Household, AdminSite()).has_delete_permission(
        _request(root), household
    )


def test_a_read_only_admin_still_hides_other_communes(other_official, household):
    admin = _Households(Household, AdminSite())
    request = _request(other_official)
    assert not admin.has_view_permission(request, household)
    assert list(admin.get_queryset(request)) == []


# ---- the admin's side doors, as an official of another commune ------------------------------
# `household` and its head Nguyễn Văn An live in Xã Vô Tranh; `other_official` works in
# Phường Ba Đình. Ids are sequential, so any id is a guess away.


def test_a_household_prefill_of_another_commune_shows_nothing_of_it(
    client, other_official, household
):
    client.force_login(other_official)
    response = client.get(f"/admin/people/resident/add/?household={household.pk}")
    text = response.content.decode()
    assert response.status_code == 403  # residents are added on the people pages
    assert "Nguyễn Văn An" not in text and household.code not in text


def test_a_resident_prefill_of_another_commune_shows_no_name(client, other_official, household):
    client.force_login(other_official)
    response = client.get(f"/admin/engage/subscription/add/?resident={household.head_id}")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="resident"' in text
    assert "Nguyễn Văn An" not in text and household.code not in text


def test_a_resident_prefill_of_the_officials_own_commune_shows_the_name(
    client, official, household
):
    client.force_login(official)
    text = client.get(f"/admin/engage/subscription/add/?resident={household.head_id}")
    assert "Nguyễn Văn An" in text.content.decode()


def test_a_subscription_linking_another_communes_resident_is_refused_and_creates_nothing(
    client, other_official, household
):
    from langso.core.models import AuditEvent
    from langso.engage.models import Subscription

    client.force_login(other_official)
    events = AuditEvent.objects.count()
    response = client.post(
        "/admin/engage/subscription/add/",
        {"resident": household.head_id, "by_sms": "on", "phone": "0912345678"},
    )
    assert response.status_code == 200  # the form again, with the error on the field
    assert "Nguyễn Văn An" not in response.content.decode()
    assert response.context["adminform"].form.errors["resident"]
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_official_records_consent_through_save_subscription(client, official, household):
    from langso.core.models import AuditEvent
    from langso.engage.models import Subscription

    client.force_login(official)
    response = client.post(
        "/admin/engage/subscription/add/",
        {"resident": household.head_id, "by_sms": "on", "phone": "0912345678"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sub = Subscription.objects.get()
    assert (sub.resident_id, sub.commune_id, sub.by_sms, sub.active) == (
        household.head_id,
        household.commune_id,
        True,
        True,
    )
    assert sub.consent_recorded_by == official  # set by the action, not by the form
    assert AuditEvent.objects.filter(object_type="engage.Subscription").count() == 1


def test_a_consent_the_action_refuses_shows_its_message_and_keeps_nothing(
    client, official, household
):
    from langso.engage.models import Subscription

    client.force_login(official)
    response = client.post(
        "/admin/engage/subscription/add/", {"resident": household.head_id, "by_email": "on"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Cần địa chỉ thư điện tử" in page
    assert not Subscription.objects.exists()


def test_a_filter_sidebar_lists_only_the_officials_own_hamlets(
    client, other_official, household, other_household
):
    client.force_login(other_official)
    text = client.get("/admin/people/household/").content.decode()
    assert other_household.code in text
    assert "Khe Cốc" not in text  # A's hamlet, offered by a plain filter on `hamlet`


def test_every_relation_of_a_scoped_admin_is_scoped_or_public():
    from django.contrib import admin

    from langso.people.admin_scoping import unscoped_relations

    assert unscoped_relations(admin.site) == []


def test_an_official_adds_a_hamlet_through_save_hamlet(client, official, commune):
    from langso.core.models import AuditEvent
    from langso.places.models import Hamlet

    client.force_login(official)
    response = client.post(
        "/admin/places/hamlet/add/",
        {"commune": commune.pk, "code": "05641-09", "name": "Xóm Đồng Bầu", "kind": "xom"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hamlet = Hamlet.objects.get(code="05641-09")
    assert hamlet.search_key == "xom dong bau"
    assert AuditEvent.objects.filter(object_type="places.Hamlet").count() == 1


def test_an_official_cannot_add_a_hamlet_to_another_commune(client, other_official, commune):
    from langso.places.models import Hamlet

    client.force_login(other_official)
    form = client.get("/admin/places/hamlet/add/").content.decode()
    assert "Vô Tranh" not in form
    response = client.post(
        "/admin/places/hamlet/add/",
        {"commune": commune.pk, "code": "05641-09", "name": "Xóm Lạ", "kind": "xom"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["commune"]
    assert not Hamlet.objects.filter(code="05641-09").exists()


def test_attendance_in_the_admin_is_read_only_for_officials(client, official, commune, household):
    """Officials take attendance on their training page (actions, audit); the admin only
    shows it to them, and a post through the admin writes nothing."""
    from langso.society.models import Attendance, Course, TrainingSession

    course = Course.objects.create(unit=commune, title="Kỹ năng số")
    session = TrainingSession.objects.create(course=course, held_on=date(2026, 3, 1))
    url = f"/admin/society/trainingsession/{session.pk}/change/"
    client.force_login(official)
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="attendances-__prefix__-resident"' not in form.content.decode()
    response = client.post(
        url,
        {
            "attendances-TOTAL_FORMS": "1",
            "attendances-INITIAL_FORMS": "0",
            "attendances-MIN_NUM_FORMS": "0",
            "attendances-MAX_NUM_FORMS": "1000",
            "attendances-0-resident": household.head_id,
            "attendances-0-completed": "on",
        },
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_a_leader_grants_a_role_through_assign_role_only_in_their_units(
    client, leader, commune, other_commune
):
    from conftest import make_user
    from langso.core.models import AuditEvent
    from langso.people.models import RoleAssignment

    newcomer = make_user("moi.votranh")
    client.force_login(leader)
    refused = client.post(
        "/admin/people/roleassignment/add/",
        {"user": newcomer.pk, "role": "commune_official", "unit": other_commune.pk},
    )
    assert refused.status_code == 200 and not newcomer.roles.exists()
    response = client.post(
        "/admin/people/roleassignment/add/",
        {"user": newcomer.pk, "role": "commune_official", "unit": commune.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert AuditEvent.objects.filter(
        object_type="people.RoleAssignment", object_id=str(assignment.pk)
    ).exists()

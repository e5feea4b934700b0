"""What a request costs in queries to answer "who is this user, where": one query for the
user's roles whatever is asked after, and admin lists whose queries do not grow with their
rows (a unit reads "Xã A, Tỉnh B", so its parent comes with it)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_user
from langso.core.models import AuditAction, AuditEvent
from langso.people.models import OFFICIAL_ROLES, Role, RoleAssignment
from langso.people.permissions import holds_role, is_official, scoped_unit_ids
from langso.procedures.actions import load_catalogue
from langso.procedures.models import Procedure


def test_every_scope_question_of_a_request_is_answered_from_one_query(
    commune, other_commune, django_assert_num_queries
):
    user = make_user("hai.vaitro", Role.COMMUNE_OFFICIAL, commune)
    make_user("khac", Role.COMMUNE_OFFICIAL, other_commune)
    RoleAssignment.objects.create(user=user, role=Role.HEALTH_WORKER, unit=other_commune)
    with django_assert_num_queries(1):
        assert scoped_unit_ids(user, {Role.COMMUNE_OFFICIAL}) == [commune.pk]
        assert scoped_unit_ids(user, {Role.HEALTH_WORKER}) == [other_commune.pk]
        assert sorted(scoped_unit_ids(user)) == sorted([commune.pk, other_commune.pk])
        assert scoped_unit_ids(user, {Role.PROVINCE_OFFICER}) == []
        assert is_official(user)
        assert holds_role(user, {Role.COMMUNE_OFFICIAL}, commune)
        assert not holds_role(user, {Role.COMMUNE_OFFICIAL}, other_commune)


def test_a_role_granted_or_revoked_is_seen_by_the_next_question_of_the_same_request(
    commune, other_commune, leader
):
    from langso.people.actions import assign_role, revoke_role

    user = make_user("vai.tro.moi", Role.COMMUNE_OFFICIAL, commune)
    assert scoped_unit_ids(user) == [commune.pk]  # answered, and kept for the request
    assignment = assign_role(
        actor=None, user=user, role=Role.HEALTH_WORKER, unit=other_commune, granted_by="sso:x"
    )
    assert sorted(scoped_unit_ids(user)) == sorted([commune.pk, other_commune.pk])
    assignment.user = user  # the copy the caller holds
    revoke_role(actor=None, assignment=assignment)
    assert scoped_unit_ids(user) == [commune.pk]


def test_an_anonymous_visitor_holds_no_unit(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert scoped_unit_ids(AnonymousUser(), OFFICIAL_ROLES) == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_audit_log_in_the_admin_costs_the_same_queries_for_2_or_12_events(
    client, commune, leader
):
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    client.force_login(leader)
    now = timezone.now()

    def events(n):
        for i in range(n):
            AuditEvent.objects.create(
                at=now - timedelta(minutes=i),
                action=AuditAction.READ,
                object_type="people.resident",
                object_id=str(i),
                object_repr=f"Người dân {i}",
                unit=commune,
                purpose="kiểm tra",
            )

    events(2)
    few = _queries(client, "/admin/core/auditevent/")
    events(10)
    assert _queries(client, "/admin/core/auditevent/") == few


def test_a_scoped_admin_list_costs_the_same_queries_for_one_or_many_rows(
    client, commune, other_commune
):
    official = make_user("canbo.thutuc", Role.COMMUNE_OFFICIAL, commune, is_staff=True)
    client.force_login(official)
    load_catalogue(commune=commune)
    many = Procedure.objects.filter(commune=commune)
    assert many.count() > 5
    with_many = _queries(client, "/admin/procedures/procedure/")
    many.exclude(pk=many.order_by("pk").first().pk).update(commune=other_commune)
    assert Procedure.objects.filter(commune=commune).count() == 1
    assert _queries(client, "/admin/procedures/procedure/") == with_many

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from conftest import make_user
from langso.core import audit
from langso.core.models import AuditAction, AuditEvent
from langso.people.actions import add_resident
from langso.people.models import Role
from langso.people.queries import reveal_resident


def test_an_official_change_is_logged_with_who_what_and_unit(official, household):
    resident = add_resident(
        actor=official,
        household=household,
        full_name="Nguyễn Thị Bé",
        sex="F",
        date_of_birth=__import__("datetime").date(2015, 3, 1),
    )
    event = AuditEvent.objects.get(object_type="people.Resident", object_id=str(resident.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor == official
    assert event.unit == household.commune
    assert "full_name" in event.fields["changed"]


def test_reading_a_full_citizen_id_is_logged_with_its_purpose(official, household):
    reveal_resident(user=official, resident_id=household.head_id, purpose="Xác nhận cư trú")
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert event.purpose == "Xác nhận cư trú"
    assert event.fields == {"read": ["citizen_id", "date_of_birth"]}
    assert event.actor_repr == official.username


def test_an_audit_event_cannot_be_edited_or_deleted_through_the_orm(official):
    event = audit.record(actor=official, action=AuditAction.EXPORT, object_type="x")
    event.purpose = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == ""


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_to_alter_the_audit_log(commune):
    event = audit.record(actor=None, action=AuditAction.EXPORT, object_type="x")
    table = AuditEvent._meta.db_table
    statements = [f"UPDATE {table} SET purpose = 'x' WHERE id = %s"]  # noqa: S608
    if connection.vendor == "postgresql":
        statements.append(f"DELETE FROM {table} WHERE id = %s")  # noqa: S608
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, purpose="").exists()


def test_postgresql_refuses_to_truncate_the_audit_log_alone_or_with_other_tables(official):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    event = audit.record(actor=official, action=AuditAction.EXPORT, object_type="x")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        # The test settings allow it for the flush between tests; a server never does.
        cur.execute("SET LOCAL langso.allow_audit_truncate = 'off'")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block TRUNCATE
    for sql in (f"TRUNCATE {table}", f"TRUNCATE core_workerheartbeat, {table} CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_offers_no_way_to_change_the_audit_log(admin_client, official):
    event = audit.record(actor=official, action=AuditAction.EXPORT, object_type="x")
    assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_commune_leader_reads_the_log_of_their_commune_only(
    client, leader, official, other_official, household, other_household
):
    reveal_resident(user=official, resident_id=household.head_id, purpose="Cấp giấy xác nhận")
    reveal_resident(user=other_official, resident_id=other_household.head_id, purpose="Khác xã")
    client.force_login(leader)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Cấp giấy xác nhận" in page
    assert "Khác xã" not in page


def test_an_ordinary_official_cannot_open_the_audit_log(client, official):
    client.force_login(official)
    assert client.get(reverse("audit_log")).status_code == 403


def test_a_province_officer_reads_the_log_of_the_communes_of_the_province(
    client, province_officer, official, household
):
    reveal_resident(user=official, resident_id=household.head_id, purpose="Rà soát")
    client.force_login(province_officer)
    assert "Rà soát" in client.get(reverse("audit_log")).content.decode()


def test_anonymous_users_are_sent_to_login_for_the_audit_log(client, db):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_health_worker_does_not_get_the_leaders_audit_log(client, commune):
    user = make_user("yte2", Role.HEALTH_WORKER, commune)
    client.force_login(user)
    assert client.get(reverse("audit_log")).status_code == 403


def test_the_audit_log_in_the_admin_is_scoped_like_the_page(
    client, leader, official, other_official, household, other_household
):
    reveal_resident(user=official, resident_id=household.head_id, purpose="Trong xã")
    reveal_resident(user=other_official, resident_id=other_household.head_id, purpose="Xã khác")
    client.force_login(leader)
    page = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert "Trong xã" in page and "Xã khác" not in page
    client.force_login(official)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 403


def test_the_audit_log_page_names_kinds_and_fields_in_words_not_codes(
    client, leader, official, household
):
    reveal_resident(user=official, resident_id=household.head_id, purpose="Cấp giấy xác nhận")
    client.force_login(leader)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Đã xem: số CCCD, ngày sinh" in page
    assert "{&#x27;read&#x27;" not in page and "{'read'" not in page
    assert "people.Resident" not in page
    assert "citizen_id" not in page and "date_of_birth" not in page

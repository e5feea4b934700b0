"""The test run's PostgreSQL flush (langso.core.testing.postgresql): after a transactional
test every table is empty again, the audit log's append-only rule holds again, and the
fallback is Django's TRUNCATE."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.utils import DatabaseError

from langso.core import audit
from langso.core.models import AuditEvent
from langso.people.models import Household

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQLite test database is in memory"
)


def _filled_tables() -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    filled = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)  # a name from Django's introspection
            cursor.execute(f"SELECT EXISTS (SELECT FROM {quoted})")  # noqa: S608
            if cursor.fetchone()[0]:
                filled.append(table)
    return filled


@pytest.mark.django_db(transaction=True)
def test_the_flush_empties_every_table_and_keeps_the_audit_log_append_only(household, official):
    audit.record(actor=official, action="export", object_type="people.Household", purpose="Test")
    assert {"people_household", "core_auditevent", "places_adminunit"} <= set(_filled_tables())

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    assert _filled_tables() == []
    audit.record(actor=official, action="export", object_type="people.Household", purpose="Test")
    # the trigger is back once the flush has committed
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 1
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_without_a_superuser_the_flush_is_djangos_truncate(monkeypatch):
    monkeypatch.setattr(connection.ops, "is_superuser", False)
    statements = connection.ops.sql_flush(no_style(), ["people_household", "core_auditevent"])
    assert len(statements) == 1 and statements[0].startswith("TRUNCATE")

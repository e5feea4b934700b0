"""The audit log refuses TRUNCATE too (0004 refuses UPDATE and DELETE row by row, which a
TRUNCATE, or a TRUNCATE ... CASCADE of a table the log refers to, never fires).

Django's test runner empties tables with TRUNCATE between transactional tests, so the test
settings open every PostgreSQL connection with `langso.allow_audit_truncate=on`; nothing else
sets it. (The owner of the database can always drop the trigger: this stops the application
and a careless command, not the database administrator.)"""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION langso_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('langso.allow_audit_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'core_auditevent is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION langso_audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS langso_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_worker_heartbeat")]
    operations = [migrations.RunPython(forwards, backwards)]

"""Published events are immutable at the database too: their content cannot be updated and
rows cannot be deleted. Only the nullable links (captured_by, producer) may be cleared, so that
deleting a user account still works (SET_NULL)."""

from django.db import migrations

CONTENT = ["event_id", "is_error_declaration", "kind", "event_type", "action", "biz_step",
           "disposition", "event_time", "read_point", "biz_location", "quantity", "epcs",
           "details", "document"]

PG = f"""
CREATE OR REPLACE FUNCTION trace_event_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND ROW({", ".join("NEW." + c for c in CONTENT)})
       IS NOT DISTINCT FROM ROW({", ".join("OLD." + c for c in CONTENT)}) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'trace_traceevent rows are immutable; record a correction instead';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS trace_event_immutable ON trace_traceevent;
CREATE TRIGGER trace_event_immutable BEFORE UPDATE OR DELETE ON trace_traceevent
  FOR EACH ROW EXECUTE FUNCTION trace_event_immutable();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS trace_event_immutable ON trace_traceevent;
DROP FUNCTION IF EXISTS trace_event_immutable();
"""
SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS trace_event_no_update
        BEFORE UPDATE OF {", ".join(CONTENT)} ON trace_traceevent
        BEGIN SELECT RAISE(ABORT, 'trace_traceevent rows are immutable'); END;""",
    # No DELETE trigger on SQLite: it has no TRUNCATE, and Django's test flush (live_server,
    # transactional tests) deletes rows. The model and queryset still refuse deletes.
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG)
    elif vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS trace_event_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS trace_event_no_delete")


class Migration(migrations.Migration):
    dependencies = [("trace", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

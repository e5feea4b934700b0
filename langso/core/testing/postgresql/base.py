"""PostgreSQL for the test run (config/settings/test.py): Django's backend, with a cheaper
flush after each transactional test.

Django empties the database after a transactional test with one TRUNCATE of every table:
PostgreSQL gives each of the hundred-odd tables a new file, 0.2 s on a quiet machine and
up to 0.9 s under CI's load, 64 times per run. Most tables are empty by then. Here only the
tables that hold rows are emptied, with DELETE, in one transaction whose
`session_replication_role = replica` skips the triggers: the foreign-key checks (every
table that holds rows is emptied, so none could fail) and the append-only triggers of the
audit log and the trace events (core migration 0004, trace migration 0002), which
refuse DELETE to the application. Setting that role needs a superuser, as CI's database
user is; for another user, and where sequences must be reset, Django's TRUNCATE stays.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    is_superuser: bool | None = None  # asked once per connection object

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables or not self._may_skip_triggers():
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # the names come from Django's introspection, quoted
        probe = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT FROM {self.quote_name(table)})"  # noqa: S608
            for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe, list(tables))
            filled = [row[0] for row in cursor.fetchall()]
        if not filled:
            return []
        return [
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {self.quote_name(table)}" for table in filled),  # noqa: S608
        ]

    def _may_skip_triggers(self) -> bool:
        if self.is_superuser is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
            self.is_superuser = bool(row and row[0])
        return self.is_superuser


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

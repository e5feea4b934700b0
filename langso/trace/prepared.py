"""Reads compiled once and run again with other values.

Django compiles a QuerySet to SQL at every evaluation. For the scan page's two reads that
costs more than running them: with the joins and select list of a batch and its events,
compiling took ~1.3 ms of CPU against ~0.1 ms for the database to answer
(bench/trace_scan.py, a scan missing the page cache). A `CompiledRead` builds its QuerySet
once per database with stand-in values, keeps the SQL, the positions of the stand-ins
among its parameters and the field converters (JSON, decimals and dates read as the ORM
would on SQLite and PostgreSQL alike), then only swaps the values in.

On PostgreSQL the database plans the read again at every execution too: planning the
scan page's read took ~0.35 ms against ~0.15 ms to run it (EXPLAIN ANALYZE), and the
database shares the machine with the workers. Django turns psycopg's prepared statements
off (`prepare_threshold`, for the sake of transaction poolers, which this project does not
use), so the read is prepared in SQL: the first execution on a connection sends
`PREPARE name AS ...; EXECUTE name(...)` in one round trip, the next ones
`EXECUTE name(...)`. A connection that lost its statements (`DISCARD ALL`) prepares again.

The read is also its own health check. With CONN_HEALTH_CHECKS (production), Django sends
`SELECT 1` before the first query of each request that reuses a connection, a round trip
as long as the read's own; a read that finds the connection dead is tried again on a new
one instead, which is what the check would have done (outside a transaction only: a read
in a transaction fails with it, as any other).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
import weakref
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError, ProgrammingError, connections, models
from django.db.models.fields.related import RelatedField


class CompiledRead:
    """`build(*values)` returns the QuerySet; `fields` are the model fields the values are
    compared with, in the same order (to prepare each value as the ORM would)."""

    def __init__(self, build: Callable[..., models.QuerySet], fields: list[models.Field]):
        self._build, self._fields = build, fields
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        stand_ins = [_stand_in(field, i) for i, field in enumerate(self._fields)]
        compiler = self._build(*stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = [
            params.index(field.get_db_prep_value(value, connection))
            for field, value in zip(self._fields, stand_ins, strict=True)
        ]
        columns = [col for col, _sql, _alias in compiler.select]
        converters = {
            position: ([_empty_object_first(c) for c in functions], expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        }
        names = [getattr(getattr(col, "target", None), "attname", None) for col in columns]
        statement = None
        if connection.vendor == "postgresql":
            statement = _statement(sql, len(params))
        self._compiled[using] = compiled = (
            sql,
            list(params),
            positions,
            compiler,
            converters,
            names,
            statement,
        )
        return compiled

    def rows(self, *values: Any, using: str = "default") -> tuple[list[str | None], list[tuple]]:
        """(attribute names of the selected columns, rows with converted values)."""
        connection: Any = connections[using]  # health_check_*: not in django-stubs
        check = (
            connection.connection is not None
            and connection.health_check_enabled
            and not connection.health_check_done
            and not connection.in_atomic_block
        )
        if not check:
            return self._rows(values, using)
        connection.health_check_done = True  # this read is the check (see the module)
        try:
            return self._rows(values, using)
        except (OperationalError, InterfaceError):
            connection.close()  # dead: as the health check would have found
            return self._rows(values, using)  # on a new connection

    def _rows(self, values: tuple, using: str) -> tuple[list[str | None], list[tuple]]:
        compiled = self._compiled.get(using) or self._compile(using)
        sql, params, positions, compiler, converters, names, statement = compiled
        connection = connections[using]
        params = list(params)
        for position, field, value in zip(positions, self._fields, values, strict=True):
            params[position] = field.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            if statement is None:
                cursor.execute(sql, params)
            else:
                _fast_timestamps(connection, cursor)
                self._execute_prepared(connection, cursor, statement, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return names, rows

    def _execute_prepared(self, connection, cursor, statement, params) -> None:
        """EXECUTE the prepared read, PREPAREd first in the same round trip if this
        connection has not seen it yet."""
        prepare, execute, name = statement
        raw = connection.connection  # opened by connection.cursor() above
        prepared = _PREPARED.get(raw)
        if prepared is None:
            prepared = _PREPARED[raw] = set()
        if name in prepared:
            try:
                cursor.execute(execute, params)
                return
            except ProgrammingError:  # the statement is gone (DISCARD ALL): prepare again
                prepared.discard(name)
                if connection.in_atomic_block:
                    raise  # the transaction is aborted; the next one prepares
        try:
            cursor.execute(prepare + "; " + execute, params)
        except ProgrammingError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != _DUPLICATE_PREPARED_STATEMENT:
                raise
            prepared.add(name)  # prepared already (by a read this process lost track of)
            if connection.in_atomic_block:
                raise  # the transaction is aborted; the next one executes
            cursor.execute(execute, params)
            return
        cursor.nextset()  # PREPARE's result, then EXECUTE's rows
        prepared.add(name)


#: the names of the statements prepared on each database connection (psycopg's), shared by
#: every CompiledRead of the process and the threads of a worker (each uses a connection
#: of its own): the name says the SQL (a hash of it)
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_DUPLICATE_PREPARED_STATEMENT = "42P05"


_PLACEHOLDER = re.compile(r"%s")


def _empty_object_first(converter):
    """A JSONField's converter that answers `{}` (most events' details) without the JSON
    decoder; the field's own converter for anything else, or with a decoder of its own."""
    field = getattr(converter, "__self__", None)
    if (
        not isinstance(field, models.JSONField)
        or getattr(converter, "__func__", None) is not models.JSONField.from_db_value
        or field.decoder is not None
    ):
        return converter

    def convert(value, expression, connection):
        return {} if value == "{}" else converter(value, expression, connection)

    return convert


def _c_timestamptz_loader():
    """psycopg's timestamptz loader in C (psycopg[binary]), or None."""
    try:
        from psycopg._cmodule import _psycopg  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(_psycopg, "TimestamptzLoader", None) if _psycopg is not None else None


_C_TIMESTAMPTZ = _c_timestamptz_loader()


def _fast_timestamps(connection, cursor) -> None:
    """Read this cursor's timestamps with psycopg's loader in C rather than Django's (a
    Python subclass of psycopg's Python loader, which only sets the time zone Django
    works in): on a scan that renders, ten event times took as long to decode as the rest
    of the read. The same values: the session's time zone is UTC (Django sets it from
    timezone_name), which the C loader reads from the connection, and Django's loader
    would set UTC too. Any other time zone keeps Django's loader."""
    if (
        _C_TIMESTAMPTZ is not None
        and connection.timezone_name == "UTC"
        and connection.timezone is datetime.UTC
    ):
        cursor.cursor.adapters.register_loader("timestamptz", _C_TIMESTAMPTZ)


def _statement(sql: str, count: int) -> tuple[str, str, str]:
    """(PREPARE ..., EXECUTE ..., the statement's name) of a query with `count` %s
    placeholders (its literal percent signs stay doubled: both are sent through the cursor
    with parameters)."""
    numbers = iter(range(1, count + 1))
    body = _PLACEHOLDER.sub(lambda _m: f"${next(numbers)}", sql.replace("%%", "\x00"))
    body = body.replace("\x00", "%%")
    name = "langso_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    arguments = f"({', '.join(['%s'] * count)})" if count else ""
    return f"PREPARE {name} AS {body}", f"EXECUTE {name}{arguments}", name


def _stand_in(field: models.Field, index: int):
    """A value of the field's type that no real parameter of the query equals."""
    target = field.target_field if isinstance(field, RelatedField) else field
    if isinstance(target, models.UUIDField):
        return uuid.UUID(int=index + 1)
    if isinstance(target, models.IntegerField):
        return 987_654_321 + index
    return f"\x00{index}\x00"

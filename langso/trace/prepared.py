"""Reads compiled once and run again with other values.

Django compiles a QuerySet to SQL at every evaluation. For the scan page's two reads that
costs more than running them: with the joins and select list of a batch and its events,
compiling took ~1.3 ms of CPU against ~0.1 ms for the database to answer
(bench/trace_scan.py, a scan missing the page cache). A `CompiledRead` builds its QuerySet
once per database with stand-in values, keeps the SQL, the positions of the stand-ins
among its parameters and the field converters (JSON, decimals and dates read as the ORM
would on SQLite and PostgreSQL alike), then only swaps the values in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections, models
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
        converters = compiler.get_converters(columns)
        names = [getattr(getattr(col, "target", None), "attname", None) for col in columns]
        self._compiled[using] = compiled = (
            sql,
            list(params),
            positions,
            compiler,
            converters,
            names,
        )
        return compiled

    def rows(self, *values: Any, using: str = "default") -> tuple[list[str | None], list[tuple]]:
        """(attribute names of the selected columns, rows with converted values)."""
        compiled = self._compiled.get(using) or self._compile(using)
        sql, params, positions, compiler, converters, names = compiled
        connection = connections[using]
        params = list(params)
        for position, field, value in zip(positions, self._fields, values, strict=True):
            params[position] = field.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return names, rows


def _stand_in(field: models.Field, index: int):
    """A value of the field's type that no real parameter of the query equals."""
    target = field.target_field if isinstance(field, RelatedField) else field
    if isinstance(target, models.UUIDField):
        return uuid.UUID(int=index + 1)
    if isinstance(target, models.IntegerField):
        return 987_654_321 + index
    return f"\x00{index}\x00"

"""The procedure a dossier is filed under, with its commune and the commune's parent, read by
one SELECT whose text is written once per process.

`Procedure.objects.select_related("commune__parent").get(...)` compiles the same three-table
join again on every call: about 0.5 ms of Python, the largest single cost of a submission
(bench/procedures_submit.py). The statement here is built from the models' fields, so a
field added to either model is read without a change here, and every value goes through the
converters the ORM applies to it (SQLite returns dates as text, booleans as integers). The
instances are the ones the ORM would build (`Model.from_db`), related as `select_related`
relates them: `procedure.commune.parent` costs no query.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col

from langso.places.models import AdminUnit

from ..models import Procedure


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    names: list[str]  # attnames, in the order of the model's concrete fields
    start: int  # the model's columns are row[start:end]
    end: int
    pk: int  # the column of its primary key (NULL: no parent)
    converters: list[tuple[int, Col, list]]  # (column, expression, converters), if any


@cache
def _statement(vendor: str) -> tuple[str, tuple[_Part, ...]]:
    """The SELECT and how to cut its row, for the `vendor` of the default connection."""
    qn = connection.ops.quote_name
    columns: list[str] = []
    parts = []
    for model, alias in ((Procedure, "p"), (AdminUnit, "c"), (AdminUnit, "u")):
        fields = model._meta.concrete_fields
        start = len(columns)
        converters = []
        for i, field in enumerate(fields):
            col = Col(alias, field)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((start + i, col, found))
            columns.append(f"{alias}.{qn(field.column)}")
        names = [f.attname for f in fields]
        pk = start + names.index(model._meta.pk.attname)
        parts.append(_Part(model, names, start, len(columns), pk, converters))
    procedure, unit = Procedure._meta, AdminUnit._meta
    commune_id = qn(procedure.get_field("commune").column)
    parent_id = qn(unit.get_field("parent").column)
    key, active = qn(procedure.pk.column), qn(procedure.get_field("is_active").column)
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(procedure.db_table)} p "  # noqa: S608  fixed identifiers
        f"INNER JOIN {qn(unit.db_table)} c ON c.{qn(unit.pk.column)} = p.{commune_id} "
        f"LEFT OUTER JOIN {qn(unit.db_table)} u ON u.{qn(unit.pk.column)} = c.{parent_id} "
        f"WHERE p.{key} = %s AND p.{active} = %s"
    )
    return sql, tuple(parts)


def active_procedure(procedure_id: int) -> Procedure | None:
    """The active procedure `procedure_id` with `commune` and `commune.parent` loaded, or
    None if there is no such procedure or it no longer applies."""
    sql, parts = _statement(connection.vendor)
    with connection.cursor() as cursor:
        # The key prepared as the ORM prepares it (a form's "12" reads as 12, "x" is refused).
        cursor.execute(sql, [Procedure._meta.pk.get_prep_value(procedure_id), True])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for part in parts:
        for index, col, converters in part.converters:
            for converter in converters:
                values[index] = converter(values[index], col, connection)
    procedure, commune, parent = (
        None
        if values[part.pk] is None  # no parent (the LEFT JOIN's NULLs)
        else part.model.from_db(connection.alias, part.names, values[part.start : part.end])
        for part in parts
    )
    assert isinstance(procedure, Procedure) and isinstance(commune, AdminUnit)
    assert parent is None or isinstance(parent, AdminUnit)
    commune.parent = parent
    procedure.commune = commune
    return procedure

"""`insert(obj)`: write a new object as `obj.save()` would, from an INSERT written once.

`save()` compiles the INSERT statement again for every object: for a row of 10-30 columns
that is about half of the Python the write costs, and the Python, not the database, bounds
the hot paths (a dossier's submission writes four rows: bench/procedures_submit.py). Here the
statement's text is built once per model and database, and each call does what `save()` does
for a new object, in the same order:

- the related objects' keys are checked and copied (an unsaved related object is refused);
- `pre_save` is sent, each field's `pre_save` runs (auto_now_add, a file field's name), each
  value is converted for the database by the field (`get_db_prep_save`);
- the INSERT runs inside `mark_for_rollback_on_error`, the columns the database returns
  (the primary key) are set on the object, which is then saved (`_state`), and `post_save`
  is sent with `created=True`.

The model's own `save()` method is not called: use `insert` only for models whose `save()`
adds nothing to the insert of a new row. Anything this does not cover goes through
`obj.save(force_insert=True)` instead: an object whose primary key is already set, a model with
parents (multi-table inheritance), a field with its own placeholder (geometry), a value that is
an expression (a database default, `F()`), a database that cannot return inserted columns.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connections, router, transaction
from django.db.models import Model
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class _Statement:
    sql: str
    fields: list  # the columns written, in the statement's order
    returning: list  # the fields the database returns (the primary key), in order
    returning_params: tuple
    converters: list  # per returned field: [(converter, expression), ...]


@cache
def _statement(model: type[Model], alias: str) -> _Statement | None:
    """The INSERT of a new `model` row on database `alias`, or None where only save() will do."""
    connection = connections[alias]
    opts = model._meta
    if opts.parents or not connection.features.can_return_columns_from_insert:
        return None
    fields = [
        f
        for f in opts.local_concrete_fields
        if not getattr(f, "generated", False) and f is not opts.auto_field
    ]
    if any(hasattr(f, "get_placeholder") for f in fields):
        return None
    returning = list(opts.db_returning_fields)
    qn = connection.ops.quote_name
    returning_sql, returning_params = connection.ops.return_insert_columns(returning)
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608  names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))}) {returning_sql}"
    )
    converters = []
    for field in returning:
        col = Col(opts.db_table, field)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        converters.append([(converter, col) for converter in found])
    return _Statement(sql, fields, returning, tuple(returning_params), converters)


def insert(obj: Model) -> None:
    """Insert `obj`, a new object, as `obj.save()` does (see the module's docstring)."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    statement = _statement(model._meta.concrete_model, alias) if obj.pk is None else None
    values_set = obj.__dict__  # the fields' values as set (a file field's, not its wrapper)
    if statement is None or any(
        hasattr(values_set.get(f.attname), "resolve_expression") for f in statement.fields
    ):
        obj.save(force_insert=True, using=alias)
        return
    connection = connections[alias]
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    if not model._meta.auto_created:
        pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    with transaction.mark_for_rollback_on_error(using=alias):
        values = []
        for field in statement.fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"insert(): {field.name} became an expression; use save()")
            values.append(field.get_db_prep_save(value, connection=connection))
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, values)
            returned = (
                connection.ops.fetch_returned_insert_columns(cursor, statement.returning_params)
                if statement.returning
                else ()
            )
    for field, value, converters in zip(
        statement.returning, returned, statement.converters, strict=True
    ):
        for converter, col in converters:
            value = converter(value, col, connection)
        setattr(obj, field.attname, value)
    obj._state.db = alias
    obj._state.adding = False
    if not model._meta.auto_created:
        post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias
        )

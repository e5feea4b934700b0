"""`insert(obj)`: write a new object as `obj.save()` would, from an INSERT written once;
`insert_with_children(parent, children)`: a new object and the new objects that point to it,
in one statement.

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

Steps known to change nothing are skipped, as decided once per field: a field whose
`pre_save` is `Field.pre_save` is read from the object as that method reads it; a `str` given
to a character or text field whose conversions are Django's own is written as it is (they
return a `str` unchanged), and so is None where the field converts None to None.

The model's own `save()` method is not called: use `insert` only for models whose `save()`
adds nothing to the insert of a new row. Anything this does not cover goes through
`obj.save(force_insert=True)` instead: an object whose primary key is already set, a model with
parents (multi-table inheritance), a field with its own placeholder (geometry), a value that is
an expression (a database default, `F()`), a database that cannot return inserted columns.

Each statement costs a round trip, and on the hot paths a round trip costs more Python (the
driver's and Django's layers) than building a row does. On PostgreSQL `insert_with_children`
writes a row and its children with one statement of data-modifying CTEs, each child's key to
the parent read from the parent's CTE; each object goes through the same steps as above.
"""

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any

from django.db import connections, router, transaction
from django.db.models import CharField, Field, Model, TextField
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save

# Values of these types are never expressions: no `resolve_expression` to look for.
_PLAIN = frozenset({str, int, bool, float, datetime.datetime, datetime.date, uuid.UUID})


def _keeps_str(field: Field) -> bool:
    """Whether `field.get_db_prep_save(value)` is `value` for any `str` value: the methods
    in between are CharField's or TextField's (`to_python` returns a str as it is)."""
    cls = type(field)
    return (
        cls.get_db_prep_save is Field.get_db_prep_save
        and cls.get_db_prep_value is Field.get_db_prep_value
        and cls.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and cls.to_python in (CharField.to_python, TextField.to_python)
    )


def _keeps_none(field: Field, connection) -> bool:
    """Whether `field.get_db_prep_save(None)` is None (asked once: it depends on nothing else)."""
    try:
        return field.get_db_prep_save(None, connection=connection) is None
    except Exception:  # a field that refuses None: ask it each time
        return False


@dataclass(frozen=True)
class _Column:
    field: Field
    attname: str
    pre_save: object  # the field's bound pre_save, or None where it is Field.pre_save
    prep: object  # the field's bound get_db_prep_save
    keeps_str: bool
    keeps_none: bool  # get_db_prep_save(None) is None


@dataclass(frozen=True)
class _Statement:
    table: str  # quoted
    names: str  # the quoted columns, comma-separated, in the order of `columns`
    columns: tuple[_Column, ...]  # the columns written
    returning_sql: str  # "RETURNING ..." or ""
    returning: list  # the fields the database returns (the primary key), in order
    returning_params: tuple
    converters: list  # per returned field: [(converter, expression), ...]

    @property
    def sql(self) -> str:
        return self.insert_sql(["%s"] * len(self.columns))

    def insert_sql(self, placeholders: Sequence[str]) -> str:
        return (
            f"INSERT INTO {self.table} ({self.names}) "  # noqa: S608  names from the model
            f"VALUES ({', '.join(placeholders)}) {self.returning_sql}"
        ).rstrip()


def _converters(connection, table: str, field: Field) -> list:
    col = Col(table, field)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    return [(converter, col) for converter in found]


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
    columns = tuple(
        _Column(
            f,
            f.attname,
            None if type(f).pre_save is Field.pre_save else f.pre_save,
            f.get_db_prep_save,
            _keeps_str(f),
            _keeps_none(f, connection),
        )
        for f in fields
    )
    return _Statement(
        qn(opts.db_table),
        ", ".join(qn(f.column) for f in fields),
        columns,
        returning_sql or "",
        returning,
        tuple(returning_params or ()),
        [_converters(connection, opts.db_table, field) for field in returning],
    )


def _has_expression(values_set: dict, columns: tuple[_Column, ...]) -> bool:
    for column in columns:
        value = values_set.get(column.attname)
        if type(value) not in _PLAIN and hasattr(value, "resolve_expression"):
            return True
    return False


def _usable(obj: Model, alias: str) -> _Statement | None:
    """The statement that writes `obj`, or None where its save() must."""
    if obj.pk is not None:
        return None
    statement = _statement(obj._meta.concrete_model, alias)
    if statement is None or _has_expression(obj.__dict__, statement.columns):
        return None
    return statement


@cache
def _checked(model: type[Model], unsaved: str) -> list[Field]:
    """The fields of `model` whose related object save() checks (foreign keys, generic
    ones), less `unsaved`."""
    concrete = [f for f in model._meta.concrete_fields if f.is_relation]
    private = [f for f in model._meta.private_fields if f.is_relation]
    return [f for f in concrete + private if f.name != unsaved]


def _announce(obj: Model, alias: str, *, unsaved: str = "") -> None:
    """save()'s steps before the values are read: the related objects' keys are checked,
    pre_save is sent. `unsaved` names a foreign key that the statement itself fills."""
    model = type(obj)
    if not unsaved:
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    elif checked := _checked(model, unsaved):  # (no fields would mean all to Django)
        obj._prepare_related_fields_for_save(operation_name="save", fields=checked)  # type: ignore[attr-defined]
    if not model._meta.auto_created:
        pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)


def _values(obj: Model, statement: _Statement, connection) -> list:
    """Each column's value as save() writes it: the field's pre_save, then get_db_prep_save."""
    values_set = obj.__dict__
    values = []
    for column in statement.columns:
        if column.pre_save is None:  # Field.pre_save: getattr(obj, attname)
            name = column.attname
            value = values_set[name] if name in values_set else getattr(obj, name)
        else:
            value = column.pre_save(obj, True)  # type: ignore[operator]
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"insert(): {column.attname} became an expression; use save()")
        if value is None:
            if not column.keeps_none:
                value = column.prep(value, connection=connection)  # type: ignore[operator]
        elif type(value) is not str or not column.keeps_str:
            value = column.prep(value, connection=connection)  # type: ignore[operator]
        values.append(value)
    return values


def _after(obj: Model, statement: _Statement, returned: Sequence, alias: str, connection) -> None:
    """save()'s steps after the INSERT: the returned columns, the state, post_save."""
    for field, value, converters in zip(
        statement.returning, returned, statement.converters, strict=True
    ):
        for converter, col in converters:
            value = converter(value, col, connection)
        setattr(obj, field.attname, value)
    obj._state.db = alias
    obj._state.adding = False
    model = type(obj)
    if not model._meta.auto_created:
        post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias
        )


def insert(obj: Model) -> None:
    """Insert `obj`, a new object, as `obj.save()` does (see the module's docstring)."""
    alias = router.db_for_write(type(obj), instance=obj)
    statement = _usable(obj, alias)
    if statement is None:
        obj.save(force_insert=True, using=alias)
        return
    connection = connections[alias]
    _announce(obj, alias)
    with transaction.mark_for_rollback_on_error(using=alias):
        values = _values(obj, statement, connection)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, values)
            returned = (
                connection.ops.fetch_returned_insert_columns(cursor, statement.returning_params)
                if statement.returning
                else ()
            )
    _after(obj, statement, returned, alias, connection)


@dataclass(frozen=True)
class _Member:
    statement: _Statement
    given: tuple[tuple[str, Field, list], ...]  # columns written as SQL: attname, field, converters
    returned: int  # how many columns of the result row are its: its key, then `given`


_VALUE = "\x00"  # where a value goes in a family's statement: "%s", or NULL for a None


@dataclass(frozen=True)
class _Family:
    text: str  # the statement, each value's place marked _VALUE
    members: tuple[_Member, ...]  # the parent, the children, the others
    texts: dict = dataclass_field(default_factory=dict, compare=False)  # NULL positions: statement

    def sql(self, nulls: tuple[int, ...]) -> str:
        """The statement with NULL written for the values at `nulls` (their positions among
        the values): psycopg splits a statement of more than 50 parameters again at each
        execution, and those are never sent as parameters."""
        sql = self.texts.get(nulls)
        if sql is None:
            pieces = self.text.split(_VALUE)
            null = set(nulls)
            sql = pieces[0] + "".join(
                ("NULL" if i in null else "%s") + piece for i, piece in enumerate(pieces[1:])
            )
            self.texts[nulls] = sql
        return sql


Given = Mapping[str, tuple[str, Sequence]]  # attname: (SQL, params)


@cache
def _family(
    models: tuple[type[Model], ...],
    children: int,
    link: str,
    given: tuple[tuple[tuple[str, str], ...], ...],
    with_sql: str,
    alias: str,
) -> _Family | None:
    """WITH [with_sql,] "r0" AS (INSERT parent), "r1" AS (INSERT child or other), ...
    SELECT * FROM "r0", "r1", ...: one row with each member's returned columns in turn (its
    key, then its `given` columns)."""
    statements = [_statement(model, alias) for model in models]
    if any(s is None or len(s.returning) != 1 for s in statements):
        return None
    connection = connections[alias]
    qn = connection.ops.quote_name
    parent_opts = models[0]._meta
    if statements[0].returning[0] != parent_opts.pk:  # type: ignore[union-attr]
        return None
    key = qn(parent_opts.pk.column)
    ctes = [with_sql] if with_sql else []
    members = []
    for i, (model, statement, sql) in enumerate(zip(models, statements, given, strict=True)):
        assert statement is not None
        opts = model._meta
        sql_of = dict(sql)
        written = {c.attname: c.field for c in statement.columns}
        if 1 <= i <= children:
            fk = next((f for f in written.values() if f.name == link), None)
            if fk is None or fk.remote_field is None or fk.remote_field.model is not models[0]:
                raise ValueError(f"insert_with_children(): {link} is no key to the parent")
            sql_of[fk.attname] = f'(SELECT "r0".{key} FROM "r0")'  # noqa: S608  names from the model
        placeholders = [sql_of.get(c.attname, _VALUE) for c in statement.columns]
        fields = [written[name] for name, _sql in sql]
        returned = "".join(f", {statement.table}.{qn(f.column)}" for f in fields)
        ctes.append(f'"r{i}" AS ({statement.insert_sql(placeholders)}{returned})')
        members.append(
            _Member(
                statement,
                tuple((f.attname, f, _converters(connection, opts.db_table, f)) for f in fields),
                1 + len(fields),
            )
        )
    sources = ", ".join(f'"r{i}"' for i in range(len(models)))
    return _Family(
        f"WITH {', '.join(ctes)} SELECT * FROM {sources}",  # noqa: S608  names from the models
        tuple(members),
    )


def insert_with_children(
    parent: Model,
    children: Sequence[Model],
    *,
    link: str,
    given: Given | None = None,
    with_sql: str = "",
    with_params: Sequence = (),
    others: Sequence[tuple[Any, Given]] = (),
) -> bool:
    """Insert `parent` and `children`, new objects whose foreign key `link` is `parent`, then
    `others`, with one statement on PostgreSQL, each object as `insert` inserts it (the
    children's `link` is read from the parent's row), and return True.

    `given` maps attnames of the parent to (SQL, params) written in place of the object's
    value: that SQL may read the CTEs written in `with_sql` (the text of one or more
    'name AS (...)' of the WITH clause, params `with_params`). Each of `others` comes with
    its own such map, whose SQL may also read "r0", the parent's row as inserted (its key and
    its `given` columns). The values the database gave those columns are set on the objects.
    The children's pre_save sees their `link` unset: its key comes from the statement.

    Returns False, having done nothing, where one statement will not do (another database,
    an object that only its save() can write): the caller writes the rows otherwise."""
    alias = router.db_for_write(type(parent), instance=parent)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    objs = [parent, *children, *(obj for obj, _given in others)]
    maps = [given or {}, *({} for _child in children), *(g for _obj, g in others)]
    family = _family(
        tuple(type(obj)._meta.concrete_model for obj in objs),
        len(children),
        link,
        tuple(tuple((name, sql) for name, (sql, _params) in g.items()) for g in maps),
        with_sql,
        alias,
    )
    if (
        family is None
        or any(_usable(obj, alias) is None for obj in objs)
        or any(router.db_for_write(type(obj), instance=obj) != alias for obj in objs)
    ):
        return False
    kids = range(1, len(children) + 1)
    for i, obj in enumerate(objs):
        _announce(obj, alias, unsaved=link if i in kids else "")
    with transaction.mark_for_rollback_on_error(using=alias):
        params = list(with_params)
        nulls = []
        place = 0  # the position of the next value among the values
        for i, (obj, member, g) in enumerate(zip(objs, family.members, maps, strict=True)):
            values = _values(obj, member.statement, connection)
            for column, value in zip(member.statement.columns, values, strict=True):
                if column.attname in g:
                    params.extend(g[column.attname][1])
                elif i not in kids or column.field.name != link:
                    if value is None:
                        nulls.append(place)
                    else:
                        params.append(value)
                    place += 1
        with connection.cursor() as cursor:
            cursor.execute(family.sql(tuple(nulls)), params)
            row = cursor.fetchone()
    at = 0
    for i, (obj, member) in enumerate(zip(objs, family.members, strict=True)):
        if i in kids:
            setattr(obj, link, parent)  # the key, and the parent as the related object
        for offset, (attname, _field, converters) in enumerate(member.given, start=1):
            value = row[at + offset]
            for converter, col in converters:
                value = converter(value, col, connection)
            setattr(obj, attname, value)
        _after(obj, member.statement, row[at : at + 1], alias, connection)
        at += member.returned
    return True

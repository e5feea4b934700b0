"""`core.inserts.insert(obj)` writes what `obj.save()` writes for a new object, with a
statement built once per model."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from langso.core.inserts import insert, insert_with_children
from langso.core.models import AuditAction, AuditEvent, DemoRun
from langso.places.models import AdminUnit


def _event(official, unit, **kw) -> AuditEvent:
    values = {
        "actor": official,
        "actor_repr": official.username,
        "action": AuditAction.CREATE,
        "object_type": "procedures.Dossier",
        "object_id": "7",
        "object_repr": "05641-260302-0001",
        "unit": unit,
        "fields": {"changed": ["state"], "note": "Nộp trực tuyến"},
        "ip_address": "203.0.113.9",
        "user_agent": "Zalo",
    }
    return AuditEvent(**{**values, **kw})


def _row(pk) -> dict:
    row = AuditEvent.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in ("id", "at")}


def test_insert_writes_the_row_that_save_writes_and_marks_the_object_saved(official, commune):
    saved = _event(official, commune)
    saved.save()
    inserted = _event(official, commune)
    with CaptureQueriesContext(connection) as queries:
        insert(inserted)
    assert len(queries.captured_queries) == 1
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert _row(inserted.pk) == _row(saved.pk)
    assert inserted.at is not None  # auto_now_add, set as save() sets it
    assert AuditEvent.objects.get(pk=inserted.pk).at == inserted.at
    assert inserted._state.adding is False and inserted._state.db == "default"
    again = _event(official, commune)
    insert(again)  # the cached statement, a second time
    assert _row(again.pk) == _row(saved.pk) and again.pk > inserted.pk


def test_insert_sends_pre_save_and_post_save_once_as_save_does(db):
    sent = []

    def before(sender, instance, **kwargs):
        sent.append(("pre", instance.app, instance.pk, kwargs["raw"], kwargs["update_fields"]))

    def after(sender, instance, created, **kwargs):
        sent.append(("post", instance.app, instance.pk, created))

    pre_save.connect(before, sender=DemoRun)
    post_save.connect(after, sender=DemoRun)
    try:
        run = DemoRun(app="trace")
        insert(run)
        keyed = DemoRun(app="engage", pk=run.pk + 100)
        insert(keyed)  # through save(force_insert=True)
    finally:
        pre_save.disconnect(before, sender=DemoRun)
        post_save.disconnect(after, sender=DemoRun)
    assert sent == [
        ("pre", "trace", None, False, None),
        ("post", "trace", run.pk, True),
        ("pre", "engage", run.pk + 100, False, None),
        ("post", "engage", run.pk + 100, True),
    ]
    assert set(DemoRun.objects.values_list("pk", "app")) == {
        (run.pk, "trace"),
        (run.pk + 100, "engage"),
    }


def test_an_object_with_its_key_or_an_expression_is_inserted_by_its_save(official, commune):
    with pytest.raises(RuntimeError, match="append-only"):  # AuditEvent.save() refuses a key
        insert(_event(official, commune, pk=4242))
    expression = _event(official, commune, object_repr=Value("từ biểu thức"))
    insert(expression)
    assert AuditEvent.objects.get(pk=expression.pk).object_repr == "từ biểu thức"


def test_an_unsaved_related_object_is_refused_as_save_refuses_it(official):
    with pytest.raises(ValueError, match="unsaved related object 'unit'"):
        insert(_event(official, AdminUnit(code="00000")))
    assert not AuditEvent.objects.exists()


def test_a_refused_insert_marks_the_transaction_for_rollback(db):
    insert(DemoRun(app="procedures"))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(DemoRun(app="procedures"))
        assert transaction.get_rollback() is True  # as save() marks it: the block is undone
    assert DemoRun.objects.count() == 1


def _unit(code: str, parent=None, **kw) -> AdminUnit:
    from langso.places.models import Level, Structure

    values = {
        "structure": Structure.Y2025,
        "level": Level.COMMUNE if parent else Level.PROVINCE,
        "code": code,
        "name": f"Xã {code}",
        "short_name": code,
        "unit_type": "Xã",
        "parent": parent,
        "province_code": "99",
        "search_key": f"xa {code}",
    }
    return AdminUnit(**{**values, **kw})


def _unit_row(unit: AdminUnit) -> dict:
    row = AdminUnit.objects.filter(pk=unit.pk).values().get()
    named = ("id", "code", "name", "short_name", "search_key")  # from the code, see _unit
    return {k: v for k, v in row.items() if k not in named}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_parent_its_children_and_others_are_inserted_by_one_statement(official):
    province = _unit("99", latitude=21.5)
    communes = [_unit("99001", province, short_name="x"), _unit("99002", province)]
    line = _event(official, None, object_id="", object_repr="")
    sent = []

    def before(sender, instance, **kwargs):
        sent.append(("pre", sender.__name__, instance.pk))

    def after(sender, instance, created, **kwargs):
        sent.append(("post", sender.__name__, instance.pk, created))

    for signal, receiver in ((pre_save, before), (post_save, after)):
        signal.connect(receiver, sender=AdminUnit)
        signal.connect(receiver, sender=AuditEvent)
    try:
        with CaptureQueriesContext(connection) as queries:
            done = insert_with_children(
                province,
                communes,
                link="parent",
                given={"short_name": ("(SELECT %s || %s)", ["Tỉnh ", "99"])},
                with_sql='"w" AS (SELECT 1)',
                others=[(line, {"object_id": ('(SELECT "r0"."id"::text FROM "r0")', ())})],
            )
    finally:
        for signal, receiver in ((pre_save, before), (post_save, after)):
            signal.disconnect(receiver, sender=AdminUnit)
            signal.disconnect(receiver, sender=AuditEvent)
    assert done is True and len(queries.captured_queries) == 1
    assert province.short_name == "Tỉnh 99" == AdminUnit.objects.get(pk=province.pk).short_name
    assert [c.parent_id for c in communes] == [province.pk, province.pk]
    assert communes[0].parent is province and all(c._state.adding is False for c in communes)
    assert AdminUnit.objects.get(pk=communes[0].pk).short_name == "x"
    twin = _unit("99003", province)
    twin.save()
    assert _unit_row(communes[1]) == _unit_row(twin)  # the row that save() writes
    assert line.object_id == str(province.pk) == AuditEvent.objects.get(pk=line.pk).object_id
    assert AuditEvent.objects.get(pk=line.pk).at == line.at is not None  # auto_now_add
    assert AdminUnit.objects.get(pk=province.pk).latitude == 21.5
    assert AdminUnit.objects.get(pk=communes[0].pk).latitude is None  # a None, written NULL
    units = [province, *communes]
    assert sent == [
        *(("pre", "AdminUnit", None) for _ in units),
        ("pre", "AuditEvent", None),
        *(("post", "AdminUnit", u.pk, True) for u in units),
        ("post", "AuditEvent", line.pk, True),
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_child_with_an_unsaved_related_object_is_refused_and_nothing_is_written(official):
    province = _unit("99")
    child = _unit("99001", province)
    stray = _event(official, AdminUnit(code="00000"))
    with pytest.raises(ValueError, match="unsaved related object 'unit'"):
        insert_with_children(province, [child], link="parent", others=[(stray, {})])
    assert not AdminUnit.objects.filter(code__startswith="99").exists()


@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_elsewhere_one_statement_is_not_tried_and_nothing_is_done(db):
    province = _unit("99")
    assert insert_with_children(province, [_unit("99001", province)], link="parent") is False
    assert province.pk is None and not AdminUnit.objects.exists()

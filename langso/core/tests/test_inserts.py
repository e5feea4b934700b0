"""`core.inserts.insert(obj)` writes what `obj.save()` writes for a new object, with a
statement built once per model."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from langso.core.inserts import insert
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

"""The submission path under load: what it asks of the database, and the one recompute of
the commune's figures it leaves behind however many dossiers arrive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langso.core import audit
from langso.core.models import AuditAction, AuditEvent
from langso.monitor.models import PendingRecompute
from langso.monitor.tests.task_queue import DATABASE_TASKS, queued_recomputes, run_queue
from langso.places.models import AdminUnit
from langso.procedures.actions.procedure_row import active_procedure
from langso.procedures.exceptions import ProcedureNotFound
from langso.procedures.models import Dossier, DossierEvent, DossierFile, Procedure, ReceiptSequence

from .conftest import local


@pytest.fixture
def queued_tasks(settings):
    """Tasks go to the database queue, as in production, and wait for a worker."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def file_dossier(make_dossier, django_capture_on_commit_callbacks):
    """Submit and commit (the after-commit work runs, as it does in production)."""

    def file(minute=0, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return make_dossier(now=local(2026, 3, 2, 9, minute), **kw)

    return file


def test_a_submission_makes_few_queries_and_updates_only_its_receipt_number(
    make_dossier, file_dossier, queued_tasks, django_capture_on_commit_callbacks
):
    file_dossier()  # the first of the day creates the day's sequence and queues a recompute
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks() as after_commit:
            dossier = make_dossier(now=local(2026, 3, 2, 9, 30))
        in_transaction = [q["sql"] for q in queries.captured_queries]
        for callback in after_commit:
            callback()
    after = [q["sql"] for q in queries.captured_queries][len(in_transaction) :]
    assert dossier.receipt_code.endswith("-0002")
    statements = [s for s in in_transaction if "SAVEPOINT" not in s]
    # the procedure, then on PostgreSQL one statement for the number, the dossier, its file,
    # its history row and the audit row; elsewhere one each, and one more for the code
    assert len(statements) == (2 if connection.vendor == "postgresql" else 7), statements
    updates = [s for s in statements if s.startswith(("UPDATE", "WITH"))]
    shared = [s for s in updates if not s.startswith('UPDATE "procedures_dossier"')]
    assert len(shared) == 1 and "procedures_receiptsequence" in shared[0]  # the only lock
    assert not any("monitor_" in s for s in statements)
    # after COMMIT: the recompute queued by the first dossier is still pending; one read
    assert (
        len(after) == 1 and after[0].startswith("SELECT") and "monitor_pendingrecompute" in after[0]
    )


def test_a_submission_writes_its_rows_and_the_audit_line_that_record_change_writes(
    make_dossier, resident_user, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    first = make_dossier(now=local(2026, 3, 2, 9, 0))
    dossier = make_dossier(now=local(2026, 3, 2, 9, 30), applicant_phone="0912345678")
    assert dossier.receipt_code == f"{dossier.commune.code}-260302-0002"
    stored = Dossier.objects.get(pk=dossier.pk)
    assert _fields(stored) == _fields(dossier)
    assert ReceiptSequence.objects.get(commune=dossier.commune).last == 2
    (row,) = DossierFile.objects.filter(dossier=dossier)
    (attachment,) = dossier.files.all()
    assert row.pk == attachment.pk and row.file.name.startswith(
        f"procedures/{dossier.commune.code}/"
    )
    assert row.file.read().startswith(b"%PDF") and row.uploaded_by == resident_user
    (event,) = DossierEvent.objects.filter(dossier=dossier)
    assert (event.action, event.to_state, event.actor) == ("submit", dossier.state, resident_user)
    (line,) = AuditEvent.objects.filter(object_id=str(dossier.pk), action=AuditAction.CREATE)
    expected = audit.change_event(actor=resident_user, action=AuditAction.CREATE, target=stored)
    skipped = {"id", "at"}
    assert {k: v for k, v in _fields(line).items() if k not in skipped} == {
        k: v for k, v in _fields(expected).items() if k not in skipped
    }
    assert line.object_repr == dossier.receipt_code != first.receipt_code


def test_many_submissions_in_a_commune_leave_exactly_one_pending_recompute(
    file_dossier, queued_tasks, commune
):
    receipts = [file_dossier(minute).receipt_code for minute in range(6)]
    assert [code[-4:] for code in receipts] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert len(queued_recomputes(commune)) == 1
    assert PendingRecompute.objects.filter(unit=commune).count() == 1
    assert run_queue() == 1
    assert not PendingRecompute.objects.exists()
    file_dossier(10)  # the recompute has run: the next dossier queues the next one
    assert len(queued_recomputes(commune)) == 1


def test_a_submission_during_a_running_recompute_leads_to_another_recompute(
    file_dossier, queued_tasks, commune, monkeypatch
):
    from langso.monitor.actions import recompute as module

    file_dossier(0)
    recomputed = []
    original = module.recompute_indicators

    def recompute_while_a_dossier_arrives(**kwargs):
        report = original(**kwargs)
        recomputed.append([u.pk for u in kwargs["units"]])
        if len(recomputed) == 1:  # the first recompute has read its figures
            file_dossier(1)
        return report

    monkeypatch.setattr(module, "recompute_indicators", recompute_while_a_dossier_arrives)
    assert run_queue() == 2
    assert recomputed == [[commune.pk], [commune.pk]]
    assert not PendingRecompute.objects.exists()


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_procedure_is_read_with_its_commune_and_parent_as_the_orm_reads_them(
    marital, django_assert_num_queries
):

    expected = Procedure.objects.select_related("commune__parent").get(pk=marital.pk)
    with django_assert_num_queries(1):
        procedure = active_procedure(marital.pk)
        assert procedure is not None
        parent = procedure.commune.parent
    assert _fields(procedure) == _fields(expected)
    assert _fields(procedure.commune) == _fields(expected.commune)
    assert parent is not None and _fields(parent) == _fields(expected.commune.parent)
    # the values have the ORM's types (SQLite returns dates as text, booleans as integers)
    assert {k: type(v) for k, v in _fields(procedure).items()} == {
        k: type(v) for k, v in _fields(expected).items()
    }
    assert procedure._state.adding is False and procedure._state.db == "default"
    assert active_procedure(marital.pk + 1000) is None


def test_a_procedure_that_no_longer_applies_or_does_not_exist_is_refused(
    make_dossier, marital, province
):

    marital.is_active = False
    marital.save(update_fields=["is_active"])
    for procedure_id in (marital.pk, marital.pk + 1000):
        with pytest.raises(ProcedureNotFound) as err:
            make_dossier(procedure=Procedure(pk=procedure_id))
        assert err.value.code == "procedures.procedure_not_found"
        assert err.value.message == "Không tìm thấy thủ tục hoặc thủ tục đã ngừng áp dụng."
    assert not Dossier.objects.exists()
    assert active_procedure(marital.pk) is None
    # a commune with no parent row reads as a commune without a parent
    marital.is_active = True
    marital.save(update_fields=["is_active"])
    AdminUnit.objects.filter(pk=marital.commune_id).update(parent=None)
    procedure = active_procedure(marital.pk)
    assert procedure is not None and procedure.commune.parent is None

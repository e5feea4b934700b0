"""Two officials act on the same dossier at the same moment (real threads, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from langso.procedures.actions import dossiers as module
from langso.procedures.actions import transition_dossier
from langso.procedures.exceptions import DossierChanged
from langso.procedures.models import DossierEvent, State

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_officials_acting_at_once_one_wins_and_the_other_is_refused(
    make_dossier, official, leader, monkeypatch
):
    dossier = make_dossier()
    both_read = threading.Barrier(2, timeout=10)
    original = module._save_versioned

    def save_after_both_read(*args, **kwargs):
        both_read.wait()  # both have read version 1 and passed every check
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "_save_versioned", save_after_both_read)
    outcomes = {}

    def act(name, actor, to_state, comment=""):
        try:
            transition_dossier(
                actor=actor,
                dossier_id=dossier.public_id,
                to_state=to_state,
                version=1,
                comment=comment,
            )
            outcomes[name] = "ok"
        except DossierChanged as exc:
            outcomes[name] = exc.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("official", official, State.RECEIVED)),
        threading.Thread(target=act, args=("leader", leader, State.NOT_RECEIVED, "Sai thủ tục")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["ok", "procedures.dossier_changed"]
    dossier.refresh_from_db()
    winner = State.RECEIVED if outcomes["official"] == "ok" else State.NOT_RECEIVED
    assert (dossier.state, dossier.version) == (winner, 2)
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2  # submit + the winner


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_submissions_in_one_commune_get_consecutive_numbers_and_one_recompute(
    make_dossier, commune, settings
):
    from langso.monitor.tests.task_queue import DATABASE_TASKS, queued_recomputes

    settings.TASKS = DATABASE_TASKS
    clients, each = 4, 5
    start = threading.Barrier(clients, timeout=10)
    codes, errors = [], []

    def client():
        try:
            start.wait()
            for _ in range(each):
                codes.append(make_dossier().receipt_code)
        except BaseException as exc:  # reported below, never hang the barrier
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(int(code[-4:]) for code in codes) == list(range(1, clients * each + 1))
    assert len(queued_recomputes(commune)) == 1

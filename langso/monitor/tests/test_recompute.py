from decimal import Decimal

import pytest
from django.db import connection

from langso.core.figures import Figure
from langso.monitor.actions import enter_indicator_value, mark_stale, recompute_indicators
from langso.monitor.actions.values import queue_recompute
from langso.monitor.models import IndicatorValue, PendingRecompute, Source, Status
from langso.monitor.tests import fake_figures
from langso.monitor.tests.task_queue import DATABASE_TASKS, queued_recomputes, run_queue


def value(unit, code, year):
    return IndicatorValue.objects.get(unit=unit, indicator__code=code, year=year)


def test_recompute_keeps_numerator_and_denominator_and_judges_each_commune(
    catalogue, fake_providers, commune, neighbour_commune, province
):
    fake_providers[commune.pk] = {
        "procedures.online_rate": Figure(90, 100),
        "documents.signed_rate": Figure(95, 100),
        "economy.has_cooperative": Figure(1),
    }
    fake_providers[neighbour_commune.pk] = {"procedures.online_rate": Figure(10, 50)}
    report = recompute_indicators(units=[province], year=2025)
    assert report.communes == 2
    assert len(fake_figures.CALLS) == 1  # one bulk read for every commune
    v = value(commune, "CDS924.CQS.1", 2025)
    assert (v.numerator, v.denominator, v.value, v.status, v.source) == (
        90,
        100,
        Decimal("90.00"),
        Status.MET,
        Source.COMPUTED,
    )
    assert value(neighbour_commune, "CDS924.CQS.1", 2025).status == Status.NOT_MET
    assert value(neighbour_commune, "CDS924.KTS.1", 2025).status == Status.NO_DATA
    # roll-up recomputes the rate from sums: (90 + 10) / 150, not the mean of 90 % and 20 %
    rolled = value(province, "CDS924.CQS.1", 2025)
    assert (rolled.numerator, rolled.denominator, rolled.value) == (100, 150, Decimal("66.67"))
    # derived: share of communes meeting 8.4 (Vô Tranh only) and meeting KTS.1
    share = value(province, "CDS924.CQS.3", 2025)
    assert (share.numerator, share.denominator, share.value, share.source) == (
        1,
        2,
        Decimal("50.00"),
        Source.DERIVED,
    )
    assert value(province, "CDS924.KTS.2", 2025).value == Decimal("50.00")


def test_recompute_twice_updates_in_place(catalogue, fake_providers, commune, province):
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(50, 100)}
    recompute_indicators(units=[commune], year=2025)
    count = IndicatorValue.objects.count()
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(70, 100)}
    recompute_indicators(units=[commune], year=2025)
    assert IndicatorValue.objects.count() == count
    assert value(commune, "CDS924.CQS.1", 2025).status == Status.MET


def test_missing_figure_shows_as_no_data(catalogue, commune):
    recompute_indicators(units=[commune], year=2026)
    v = value(commune, "NTM26.9.1", 2026)
    assert (v.value, v.status) == (None, Status.NO_DATA)


def test_number_of_communes_meeting_every_criterion(
    catalogue, fake_providers, classified, province, official
):
    from langso.monitor.models import Indicator

    for ind in Indicator.objects.filter(
        criterion__criteria_set__code="ntm-xa-2021-2025", source=Source.ENTERED
    ):
        if not ind.thresholds.exists():  # not in the file yet: an official enters it
            ind.thresholds.create(year_from=2021, year_to=2025, value=1)
        goal = (
            ind.thresholds.filter(classification__in=["", "tdmnpb"])
            .order_by("-year_from")
            .first()
            .value
        )
        enter_indicator_value(
            actor=official,
            unit=classified,
            indicator=ind,
            year=2025,
            value=goal if ind.comparator == ">=" else 0,
        )
    fake_providers[classified.pk] = {
        "documents.signed_rate": Figure(100, 100),
        "economy.has_cooperative": Figure(1),
        "economy.linkage_models": Figure(2),
        "trace.products_traceable": Figure(3),
        "economy.ocop_3star": Figure(1),
        "society.health_record_coverage": Figure(80, 100),
        "society.officials_trained_rate": Figure(20, 20),
    }
    recompute_indicators(units=[province], year=2025)
    assert value(province, "CDS924.TH.1", 2025).value == 1
    fake_providers[classified.pk]["economy.ocop_3star"] = Figure(0)
    recompute_indicators(units=[province], year=2025)
    assert value(province, "CDS924.TH.1", 2025).value == 0


def test_mark_stale_recomputes_the_unit_after_commit_and_writes_nothing_before(
    catalogue, fake_providers, commune, django_capture_on_commit_callbacks
):
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(1, 4)}
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(commune, year=2025)
        assert not PendingRecompute.objects.exists()  # nothing inside the caller's transaction
    assert value(commune, "CDS924.CQS.1", 2025).value == Decimal("25.00")
    assert not PendingRecompute.objects.exists()


@pytest.fixture
def queued_tasks(settings):
    """Tasks go to the database queue, as in production, and wait for a worker."""
    settings.TASKS = DATABASE_TASKS


def test_many_changes_in_one_commune_leave_exactly_one_pending_recompute(
    catalogue,
    fake_providers,
    commune,
    neighbour_commune,
    queued_tasks,
    django_capture_on_commit_callbacks,
):
    for _ in range(5):  # five dossiers, five transactions
        with django_capture_on_commit_callbacks(execute=True):
            mark_stale(commune, year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(neighbour_commune, year=2025)
        mark_stale(commune, year=2026)  # another year is another recompute
    assert len(queued_recomputes(commune)) == 2
    assert [r.task_result.kwargs["year"] for r in queued_recomputes(commune)] == [2025, 2026]
    assert len(queued_recomputes(neighbour_commune)) == 1
    assert PendingRecompute.objects.filter(unit=commune, year=2025).count() == 1
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(3, 4)}
    assert run_queue() == 3
    assert value(commune, "CDS924.CQS.1", 2025).value == Decimal("75.00")
    assert not PendingRecompute.objects.exists()


def test_a_change_during_a_running_recompute_queues_another_that_sees_it(
    catalogue, fake_providers, commune, queued_tasks, django_capture_on_commit_callbacks
):
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(1, 4)}
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(commune, year=2025)
    queued_while_running = []
    read = fake_figures.monitoring_figures

    def read_then_a_dossier_arrives(**kwargs):
        figures = read(**kwargs)
        if not queued_while_running:  # the first recompute has read; a dossier commits now
            fake_providers[commune.pk] = {"procedures.online_rate": Figure(2, 4)}
            queued_while_running.append(queue_recompute(unit_id=commune.pk, year=2025))
        return figures

    fake_figures.monitoring_figures = read_then_a_dossier_arrives
    try:
        assert run_queue() == 2
    finally:
        fake_figures.monitoring_figures = read
    assert queued_while_running == [True]
    assert value(commune, "CDS924.CQS.1", 2025).value == Decimal("50.00")
    assert not PendingRecompute.objects.exists()


def test_a_change_before_the_queued_recompute_starts_needs_no_other(
    catalogue, commune, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(commune, year=2025)
    assert queue_recompute(unit_id=commune.pk, year=2025) is False
    assert len(queued_recomputes(commune)) == 1


def test_entered_value_needs_the_right_role(catalogue, commune, other_official):
    from langso.core.exceptions import PermissionDenied
    from langso.monitor.models import Indicator

    with pytest.raises(PermissionDenied):
        enter_indicator_value(
            actor=other_official,
            unit=commune,
            indicator=Indicator.objects.get(code="NTM21.8.3"),
            year=2025,
            value=1,
        )


def test_an_uninstalled_provider_shows_as_no_data(catalogue, settings, fake_providers, commune):
    settings.LANGSO_FIGURE_PROVIDERS = [
        "langso.monitor.tests.fake_figures",
        "langso.notyet.queries",
    ]
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(3, 4)}
    recompute_indicators(units=[commune], year=2025)
    assert value(commune, "CDS924.CQS.1", 2025).value == Decimal("75.00")
    assert value(commune, "CDS924.KTS.1", 2025).status == Status.NO_DATA


def test_recomputing_one_commune_keeps_the_province_total_over_all_communes(
    catalogue, fake_providers, commune, neighbour_commune, province
):
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(90, 100)}
    fake_providers[neighbour_commune.pk] = {"procedures.online_rate": Figure(10, 50)}
    recompute_indicators(units=[province], year=2025)
    fake_providers[commune.pk] = {"procedures.online_rate": Figure(91, 101)}
    recompute_indicators(units=[commune], year=2025)
    rolled = value(province, "CDS924.CQS.1", 2025)
    assert (rolled.numerator, rolled.denominator) == (101, 151)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_queued_recompute_reads_figures_holding_the_units_recompute_lock(
    catalogue, fake_providers, commune, queued_tasks, django_capture_on_commit_callbacks
):
    """Two workers may each run a recompute of the commune: the later one waits, reads
    after the earlier one wrote, and writes last."""
    from langso.monitor.actions.values import RECOMPUTE_LOCK

    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(commune, year=2025)
    held = []
    read = fake_figures.monitoring_figures

    def read_and_look_at_the_locks(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = %s AND objid = %s AND objsubid = 2 AND pid = pg_backend_pid()",
                [RECOMPUTE_LOCK, commune.pk],
            )
            held.append(cursor.fetchone()[0])
        return read(**kwargs)

    fake_figures.monitoring_figures = read_and_look_at_the_locks
    try:
        assert run_queue() == 1
    finally:
        fake_figures.monitoring_figures = read
    assert held == [1]


def test_a_marker_whose_task_vanished_is_queued_again_by_the_schedule(commune, settings):
    """Task rows deleted by hand, or a restore without the queue: the unit recomputes again."""
    from datetime import timedelta

    from django.utils import timezone

    from langso.core import schedule
    from langso.monitor.actions.values import release_stuck_recomputes
    from langso.monitor.models import PendingRecompute

    assert "monitor.release_stuck_recomputes" in {job.name for job in schedule.jobs()}
    year = timezone.localdate().year
    PendingRecompute.objects.create(unit=commune, year=year)  # its task is gone
    assert release_stuck_recomputes() == 0  # a recent marker: its task is probably queued
    PendingRecompute.objects.filter(unit=commune).update(
        queued_at=timezone.now() - timedelta(hours=2)
    )
    assert release_stuck_recomputes() == 1
    # the immediate task backend of the tests ran the recompute, which removed the marker
    assert not PendingRecompute.objects.filter(unit=commune, year=year).exists()

"""Figures computed from a known set of dossiers."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from langso.core.figures import collect_figures
from langso.procedures.models import Channel, Dossier, Rating, State, Timeliness
from langso.procedures.queries import FIGURE_DEFINITIONS, commune_figures, monitoring_figures

from .conftest import local


def _dossier(
    procedure,
    *,
    channel=Channel.ONLINE,
    state=State.COMPLETED,
    timeliness="",
    submitted=None,
    settled=None,
    minutes=None,
    rating=None,
):
    submitted = submitted or local(2026, 1, 5, 9, 0)
    d = Dossier.objects.create(
        commune=procedure.commune,
        province_code="19",
        procedure=procedure,
        receipt_code=uuid.uuid4().hex[:20],
        tracking_secret="X",
        channel=channel,
        state=state,
        applicant_name="A",
        submitted_at=submitted,
        due_at=submitted + timedelta(days=3),
        settled_at=settled,
        timeliness=timeliness,
        processing_minutes=minutes,
    )
    if rating:
        Rating.objects.create(dossier=d, level=rating, channel="online", rated_at=settled)
    return d


def test_the_figures_follow_their_definitions(marital, other_commune):
    s = local(2026, 1, 8, 9, 0)
    for t, m, r in [
        (Timeliness.EARLY, 480, "very_satisfied"),
        (Timeliness.ON_TIME, 960, "satisfied"),
        (Timeliness.ON_TIME, 1440, "not_satisfied"),
        (Timeliness.LATE, 2400, None),
    ]:
        _dossier(marital, timeliness=t, settled=s, minutes=m, rating=r)
    _dossier(marital, state=State.REJECTED, timeliness=Timeliness.ON_TIME, settled=s, minutes=480)
    _dossier(marital, channel=Channel.IN_PERSON, state=State.PROCESSING)
    _dossier(marital, state=State.WITHDRAWN)
    _dossier(marital, state=State.NOT_RECEIVED)  # refused at intake: not received
    _dossier(marital, submitted=local(2025, 12, 31, 9, 0), state=State.PROCESSING)  # before
    f = monitoring_figures(
        unit_ids=[marital.commune_id, other_commune.pk],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
    )
    mine = f[marital.commune_id]
    assert mine["procedures.received"].numerator == 7
    assert (
        mine["procedures.online_rate"].numerator,
        mine["procedures.online_rate"].denominator,
    ) == (6, 7)
    assert (
        mine["procedures.on_time_rate"].numerator,
        mine["procedures.on_time_rate"].denominator,
    ) == (4, 5)
    assert (mine["procedures.late_rate"].numerator, mine["procedures.late_rate"].denominator) == (
        1,
        5,
    )
    assert mine["procedures.avg_processing_days"].value == Decimal("12") / 5  # 5760 min / 480
    assert (
        mine["procedures.satisfaction_rate"].numerator,
        mine["procedures.satisfaction_rate"].denominator,
    ) == (2, 3)
    assert f[other_commune.pk]["procedures.received"].numerator == 0
    assert f[other_commune.pk]["procedures.on_time_rate"].value is None
    assert set(mine) == set(FIGURE_DEFINITIONS)


def test_the_figures_reach_monitoring_through_the_shared_collector(marital, settings):
    settings.LANGSO_FIGURE_PROVIDERS = ["langso.procedures.queries"]  # other apps may be absent
    _dossier(marital, timeliness=Timeliness.EARLY, settled=local(2026, 1, 8, 9, 0), minutes=480)
    merged = collect_figures(
        unit_ids=[marital.commune_id], period_start=date(2026, 1, 1), period_end=date(2026, 1, 31)
    )
    assert merged[marital.commune_id]["procedures.on_time_rate"].percent == Decimal("100.00")


def test_the_commune_page_rows_show_percentages(marital):
    _dossier(marital, timeliness=Timeliness.LATE, settled=local(2026, 1, 8, 9, 0), minutes=960)
    rows = {
        r["code"]: r["shown"]
        for r in commune_figures(marital.commune, date(2026, 1, 1), date(2026, 1, 31))
    }
    assert rows["procedures.late_rate"] == "100%"
    assert rows["procedures.avg_processing_days"] == "2,0"
    assert rows["procedures.satisfaction_rate"] == "—"

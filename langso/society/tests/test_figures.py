import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from langso.society.actions.addresses import place_address_point
from langso.society.actions.environment import record_reading
from langso.society.models import (
    Attendance,
    Course,
    DigitalTeam,
    HelpSession,
    TrainingSession,
)
from langso.society.queries import FIGURE_DEFINITIONS, monitoring_figures

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_five_figures_keep_numerator_and_denominator(
    commune,
    other_commune,
    official,
    leader,
    health_worker,
    household,
    second_household,
    health_record,
    station,
    team_member,
    other_household,
):
    place_address_point(actor=official, household=household, latitude=21.71, longitude=105.77)
    for day, value in ((1, 7.0), (2, 7.5), (3, 9.9)):
        record_reading(
            actor=official,
            station=station,
            parameter_code="ph",
            observed_at=datetime(2026, 3, day, 8, tzinfo=HCM),
            value=value,
        )
    team = DigitalTeam.objects.create(commune=commune, name="Tổ 1")
    for hh in (household, household, second_household):
        HelpSession.objects.create(
            id=uuid.uuid4(),
            team=team,
            helper=team_member,
            household=hh,
            topic="vneid",
            occurred_at=datetime(2026, 5, 1, tzinfo=HCM),
        )
    HelpSession.objects.create(
        id=uuid.uuid4(),
        team=team,
        helper=team_member,
        household=household,
        topic="vneid",
        occurred_at=datetime(2025, 5, 1, tzinfo=HCM),
    )  # before period
    course = Course.objects.create(unit=commune, title="Kỹ năng số")
    session = TrainingSession.objects.create(course=course, held_on=date(2026, 2, 1))
    Attendance.objects.create(session=session, user=official)
    figures = monitoring_figures(
        unit_ids=[commune.pk, other_commune.pk],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    mine = figures[commune.pk]
    assert (
        mine["society.address_coverage"].numerator,
        mine["society.address_coverage"].denominator,
    ) == (1, 2)
    assert (
        mine["society.health_record_coverage"].numerator,
        mine["society.health_record_coverage"].denominator,
    ) == (1, 2)
    assert mine["society.residents_helped"].numerator == 2
    assert mine["society.residents_helped"].denominator is None
    assert (
        mine["society.officials_trained_rate"].numerator,
        mine["society.officials_trained_rate"].denominator,
    ) == (1, 3)
    assert (
        mine["society.water_within_limits_rate"].numerator,
        mine["society.water_within_limits_rate"].denominator,
    ) == (2, 3)
    theirs = figures[other_commune.pk]
    assert theirs["society.address_coverage"].numerator == 0
    assert theirs["society.address_coverage"].denominator == 1
    assert theirs["society.water_within_limits_rate"].value is None


def test_every_figure_returned_has_a_definition_for_monitoring(commune):
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )[commune.pk]
    assert set(figures) == set(FIGURE_DEFINITIONS)
    assert all(code.startswith("society.") for code in FIGURE_DEFINITIONS)

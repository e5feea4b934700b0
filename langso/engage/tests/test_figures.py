from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from langso.core.figures import Figure
from langso.engage import actions, queries
from langso.engage.models import SurveyResponse
from langso.people.models import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JAN, DEC = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
def satisfaction(commune, official, hamlet):
    survey = actions.install_satisfaction_survey(actor=official, commune=commune)
    base = {
        "thon": "05641_01",
        "do_tuoi": "tu_45_59",
        "ha_tang": "4",
        "thu_nhap": "3",
        "moi_truong": "4",
        "van_hoa": "4",
        "hanh_chinh": "5",
        "an_ninh": "4",
    }
    for n, level in enumerate(["5", "4", "4", "3", "1"]):
        user = make_user(f"dan{n}", Role.RESIDENT, commune)
        raw = {**base, "hai_long_chung": level}
        if level == "1":
            raw["ly_do_chua_hai_long"] = "Thu nhập thấp"
        actions.submit_response(
            actor=user, survey=survey, raw=raw, submitted_at=datetime(2026, 5, 1, 9, tzinfo=VN)
        )
    return survey


def test_satisfaction_rate_counts_satisfied_and_very_satisfied(satisfaction, commune):
    figures = queries.monitoring_figures(unit_ids=[commune.pk], period_start=JAN, period_end=DEC)[
        commune.pk
    ]
    rate = figures["engage.programme_satisfaction_rate"]
    assert (rate.numerator, rate.denominator) == (3, 5)
    assert rate.percent == 60
    assert figures["engage.collects_satisfaction_online"] == Figure(1, 1)


def test_responses_outside_the_period_do_not_count(satisfaction, commune):
    figures = queries.monitoring_figures(
        unit_ids=[commune.pk], period_start=date(2026, 6, 1), period_end=DEC
    )[commune.pk]
    assert figures["engage.programme_satisfaction_rate"] == Figure(0, 0)
    assert figures["engage.collects_satisfaction_online"] == Figure(0, 1)


def test_a_commune_without_the_survey_does_not_collect_online(
    commune, neighbour_commune, satisfaction
):
    figures = queries.monitoring_figures(
        unit_ids=[commune.pk, neighbour_commune.pk], period_start=JAN, period_end=DEC
    )
    assert figures[neighbour_commune.pk]["engage.collects_satisfaction_online"] == Figure(0, 1)
    assert figures[neighbour_commune.pk]["engage.programme_satisfaction_rate"].value is None


def test_feedback_on_time_rate_counts_late_answers_and_overdue_ones(commune, official, category):
    def send(day):
        feedback, _s = actions.submit_feedback(
            actor=AnonymousUser(),
            commune=commune,
            category=category,
            text="Đèn đường không sáng từ tuần trước.",
            received_on=day,
        )
        return feedback

    on_time = send(date(2026, 3, 2))  # deadline 9 Mar
    late = send(date(2026, 3, 2))
    overdue = send(date(2026, 3, 2))  # never answered
    actions.answer_feedback(
        actor=official,
        feedback=on_time,
        answer="Đã thay bóng đèn.",
        answered_at=datetime(2026, 3, 5, 10, tzinfo=VN),
    )
    actions.answer_feedback(
        actor=official,
        feedback=late,
        answer="Đã thay bóng đèn.",
        answered_at=datetime(2026, 3, 20, 10, tzinfo=VN),
    )
    assert overdue.deadline == date(2026, 3, 9)
    figures = queries.monitoring_figures(unit_ids=[commune.pk], period_start=JAN, period_end=DEC)[
        commune.pk
    ]
    assert figures["engage.feedback_on_time_rate"] == Figure(1, 3)


def test_announcements_are_counted_per_commune_and_period(commune, official):
    for title in ("Một", "Hai"):
        actions.create_announcement(
            actor=official,
            commune=commune,
            title=title,
            body="Nội dung.",
            dispatch=False,
            published_at=datetime(2026, 2, 1, 8, tzinfo=VN),
        )
    actions.create_announcement(
        actor=official, commune=commune, title="Nháp", body="x", publish=False
    )
    figures = queries.monitoring_figures(unit_ids=[commune.pk], period_start=JAN, period_end=DEC)
    assert figures[commune.pk]["engage.announcements"] == Figure(2)


def test_every_figure_has_a_definition(commune):
    figures = queries.monitoring_figures(unit_ids=[commune.pk], period_start=JAN, period_end=DEC)[
        commune.pk
    ]
    assert set(figures) == set(queries.FIGURE_DEFINITIONS)
    assert SurveyResponse.objects.count() == 0

from datetime import date
from decimal import Decimal

import pytest

from langso.economy import actions
from langso.economy.exceptions import DossierState, InvalidScores, NotEvaluator
from langso.economy.models import Certificate, OcopCriteriaSet, OcopDossier
from langso.economy.ocop_rules import (
    certificate_valid_to,
    is_certifiable,
    level_rules_on,
    load_criteria,
    star_for,
)
from langso.economy.queries import certificate_status, expiring_ocop_certificates

from .conftest import FILED_2025, full_scores


@pytest.mark.parametrize(
    "total,star",
    [
        ("0", 1),
        ("29.99", 1),
        ("29.5", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("69.5", 3),
        ("70", 4),
        ("89.99", 4),
        ("89.5", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_bands_at_every_boundary(total, star):
    assert star_for(Decimal(total)) == star


def test_only_three_stars_and_above_are_certified():
    assert [is_certifiable(s) for s in (1, 2, 3, 4, 5)] == [False, False, True, True, True]


def test_totals_outside_zero_to_hundred_are_refused():
    with pytest.raises(ValueError):
        star_for(Decimal("100.5"))


def test_certificate_is_valid_thirty_six_months():
    assert certificate_valid_to(date(2025, 9, 1)) == date(2028, 8, 31)
    assert certificate_valid_to(date(2024, 2, 29)) == date(2027, 2, 27)


def test_sheets_follow_the_decision_in_force(criteria):
    new = OcopCriteriaSet.objects.get(decision="148/2023", product_group="food")
    old = OcopCriteriaSet.objects.get(decision="1048/2019", product_group="food")
    assert (new.part_a_max, new.part_b_max, new.part_c_max) == (40, 25, 35)
    assert (old.part_a_max, old.part_b_max, old.part_c_max) == (35, 25, 40)
    assert new.criteria.filter(to_confirm=True).exists()


def test_loading_twice_does_not_duplicate_criteria(criteria):
    count = OcopCriteriaSet.objects.count()
    load_criteria()
    assert OcopCriteriaSet.objects.count() == count == 12


@pytest.mark.parametrize(
    "day,code,first,five",
    [
        (date(2021, 5, 1), "1048/2019", "district", "central"),
        (date(2024, 5, 1), "148/2023", "district", "central"),
        (date(2025, 7, 6), "1489/2025", "province", "central"),
    ],
)
def test_who_rates_follows_the_rules_of_the_filing_date(day, code, first, five):
    rules = level_rules_on(day)
    assert (rules.code, rules.first_level, rules.level_for_star(5)) == (code, first, five)


def test_since_july_2025_the_commune_receives_and_the_province_rates_four_stars():
    rules = level_rules_on(date(2025, 8, 1))
    assert rules.receives == "commune"
    assert rules.level_for_star(3) == rules.level_for_star(4) == "province"


def _commune_official(commune):
    from conftest import make_user
    from langso.people.models import Role, User

    return User.objects.filter(username="canbo.votranh").first() or make_user(
        "canbo.votranh", Role.COMMUNE_OFFICIAL, commune
    )


def _dossier(manager, tea, filed_on=FILED_2025):
    """File a dossier and, under the July 2025 rules, have the commune send it on."""
    dossier = actions.file_dossier(
        actor=manager, product=tea, filed_on=filed_on, self_scores={"A1": 7, "B1": "4.5"}
    )
    if dossier.current_level == "commune":
        dossier = actions.accept_dossier(actor=_commune_official(dossier.commune), dossier=dossier)
    return dossier


def test_producer_files_a_dossier_with_a_partial_self_assessment(criteria, manager, tea):
    dossier = actions.file_dossier(
        actor=manager, product=tea, filed_on=FILED_2025, self_scores={"A1": 7, "B1": "4.5"}
    )
    assert dossier.status == OcopDossier.Status.SUBMITTED
    assert dossier.self_total == Decimal("11.5")
    assert dossier.criteria_set.decision == "148/2023"
    assert dossier.current_level == "commune"


def test_since_july_2025_the_commune_receives_before_the_province_scores(
    criteria, manager, tea, evaluator, official, other_official
):
    dossier = actions.file_dossier(actor=manager, product=tea, filed_on=FILED_2025)
    scores = full_scores(dossier.criteria_set, Decimal(60))
    with pytest.raises(DossierState, match="tiếp nhận của xã"):
        actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores)
    with pytest.raises(NotEvaluator):
        actions.accept_dossier(actor=other_official, dossier=dossier)
    with pytest.raises(NotEvaluator):
        actions.accept_dossier(actor=manager, dossier=dossier)
    dossier = actions.accept_dossier(actor=official, dossier=dossier)
    assert dossier.current_level == "province"
    with pytest.raises(DossierState):
        actions.accept_dossier(actor=official, dossier=dossier)
    assert actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores).star == 3


def test_another_producer_cannot_file_for_my_product(criteria, tea, other_coop, commune):
    from conftest import make_user
    from langso.economy.models import ProducerMember

    stranger = make_user("sanxuat.phudo")
    ProducerMember.objects.create(producer=other_coop, user=stranger, member_role="manager")
    with pytest.raises(Exception) as exc:
        _dossier(stranger, tea)
    assert exc.value.code == "economy.not_producer_manager"


def test_score_above_a_criterion_maximum_is_refused(criteria, manager, tea, evaluator):
    dossier = _dossier(manager, tea)
    scores = full_scores(dossier.criteria_set, Decimal(60))
    scores["A1"] = "9"
    with pytest.raises(InvalidScores) as exc:
        actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores)
    assert "A1" in exc.value.message and "0 đến 8" in exc.value.message


def test_missing_criterion_is_refused(criteria, manager, tea, evaluator):
    dossier = _dossier(manager, tea)
    scores = full_scores(dossier.criteria_set, Decimal(60))
    del scores["C4"]
    with pytest.raises(InvalidScores, match="C4"):
        actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores)


def test_evaluator_of_another_province_is_refused(criteria, manager, tea, other_evaluator):
    dossier = _dossier(manager, tea)
    with pytest.raises(NotEvaluator):
        actions.score_dossier(
            actor=other_evaluator,
            dossier=dossier,
            scores=full_scores(dossier.criteria_set, Decimal(60)),
        )


def test_commune_official_cannot_rate_under_the_2025_rules(criteria, manager, tea, official):
    dossier = _dossier(manager, tea)
    with pytest.raises(NotEvaluator):
        actions.score_dossier(
            actor=official, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(60))
        )


@pytest.mark.parametrize(
    "total,star,certified",
    [
        ("29.5", 1, False),
        ("30", 2, False),
        ("49.5", 2, False),
        ("50", 3, True),
        ("69.5", 3, True),
        ("70", 4, True),
        ("89.5", 4, True),
    ],
)
def test_province_decision_gives_the_band_star_and_certificate(
    criteria, manager, tea, evaluator, total, star, certified
):
    dossier = _dossier(manager, tea)
    actions.score_dossier(
        actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(total))
    )
    dossier = actions.decide_dossier(actor=evaluator, dossier=dossier, decided_on=date(2025, 10, 1))
    assert (dossier.status, dossier.result_star) == (OcopDossier.Status.RATED, star)
    cert = Certificate.objects.filter(dossier=dossier).first()
    assert (cert is not None) == certified
    if cert:
        assert (cert.star, cert.issuing_level, cert.valid_to) == (
            star,
            "province",
            date(2028, 9, 30),
        )
        assert cert.number == "OCOP-19-2025-0001"


def test_ninety_points_go_to_the_ministry_for_five_stars(criteria, manager, tea, evaluator):
    dossier = _dossier(manager, tea)
    actions.score_dossier(
        actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(90))
    )
    dossier = actions.decide_dossier(actor=evaluator, dossier=dossier, decided_on=date(2025, 10, 1))
    assert (dossier.status, dossier.current_level) == (OcopDossier.Status.REFERRED, "central")
    assert not Certificate.objects.filter(dossier=dossier).exists()
    actions.score_dossier(
        actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(92))
    )
    dossier = actions.decide_dossier(
        actor=evaluator, dossier=dossier, decided_on=date(2025, 12, 1), number="05/QĐ-BNNMT"
    )
    cert = Certificate.objects.get(dossier=dossier)
    assert (cert.star, cert.issuing_level, cert.number) == (5, "central", "05/QĐ-BNNMT")


def test_the_mean_of_evaluators_decides(criteria, manager, tea, evaluator, province):
    from conftest import make_user
    from langso.people.models import Role

    second = make_user("ocop.thainguyen2", Role.OCOP_EVALUATOR, province)
    dossier = _dossier(manager, tea)
    actions.score_dossier(
        actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(72))
    )
    actions.score_dossier(
        actor=second, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(67))
    )
    dossier = actions.decide_dossier(actor=evaluator, dossier=dossier, decided_on=date(2025, 10, 1))
    assert (dossier.result_total, dossier.result_star) == (Decimal("69.50"), 3)


def test_rated_dossier_cannot_be_scored_again(criteria, manager, tea, evaluator):
    dossier = _dossier(manager, tea)
    scores = full_scores(dossier.criteria_set, Decimal(60))
    actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores)
    actions.decide_dossier(actor=evaluator, dossier=dossier, decided_on=date(2025, 10, 1))
    with pytest.raises(DossierState):
        actions.score_dossier(actor=evaluator, dossier=dossier, scores=scores)


def test_2024_dossier_is_rated_by_the_district(criteria, manager, tea, evaluator, commune):
    from conftest import make_user
    from langso.people.models import Role

    dossier = _dossier(manager, tea, filed_on=date(2024, 3, 1))
    assert dossier.current_level == "district"
    with pytest.raises(NotEvaluator):  # a province evaluator is not the district council
        actions.score_dossier(
            actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(75))
        )
    district = make_user("huyen.phuluong", Role.DISTRICT_OFFICER, commune)
    actions.score_dossier(
        actor=district, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(75))
    )
    dossier = actions.decide_dossier(actor=district, dossier=dossier, decided_on=date(2024, 5, 1))
    assert (dossier.status, dossier.current_level) == (OcopDossier.Status.REFERRED, "province")


def test_certificate_expiry_is_flagged_and_then_never_valid(criteria, manager, tea, evaluator):
    dossier = _dossier(manager, tea)
    actions.score_dossier(
        actor=evaluator, dossier=dossier, scores=full_scores(dossier.criteria_set, Decimal(75))
    )
    actions.decide_dossier(actor=evaluator, dossier=dossier, decided_on=date(2025, 10, 1))
    cert = Certificate.objects.get(dossier=dossier)
    assert certificate_status(cert, date(2026, 1, 1)) == "valid"
    assert certificate_status(cert, date(2028, 7, 15)) == "expiring"
    assert list(expiring_ocop_certificates(on=date(2028, 7, 15))) == [cert]
    assert list(expiring_ocop_certificates(on=date(2026, 7, 15))) == []
    assert certificate_status(cert, date(2028, 10, 1)) == "expired"
    assert list(expiring_ocop_certificates(on=date(2028, 10, 1))) == []


def test_dossier_files_are_checked_by_content(criteria, manager, tea, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from langso.core.exceptions import ValidationFailed

    settings.MEDIA_ROOT = tmp_path
    dossier = _dossier(manager, tea)
    pdf = SimpleUploadedFile("ho-so.exe", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    item = actions.attach_dossier_file(
        actor=manager, dossier=dossier, upload=pdf, title="Bản tự đánh giá"
    )
    assert item.file.name.endswith(".pdf")
    fake = SimpleUploadedFile("ho-so.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationFailed, match="chỉ nhận PDF, ảnh JPEG, ảnh PNG"):
        actions.attach_dossier_file(actor=manager, dossier=dossier, upload=fake, title="x")

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.figures import Figure
from langso.core.uploads import UploadWrongType
from langso.monitor.actions import (
    enter_indicator_value,
    move_assessment,
    recognise_with_override,
    recompute_indicators,
    start_assessment,
)
from langso.monitor.exceptions import (
    AssessmentTransitionRefused,
    CriteriaUnmet,
    OverrideNotNeeded,
    ReasonRequired,
)
from langso.monitor.models import (
    AssessmentStatus,
    CriteriaSet,
    Indicator,
    IndicatorValue,
    RecognitionOverride,
)
from langso.monitor.queries import data_changed_since
from langso.monitor.tests.conftest import good_figures, meet_criteria

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(catalogue, classified, leader):
    cset = CriteriaSet.objects.get(code="ntm-xa-2026-2030")
    return start_assessment(actor=leader, unit=classified, criteria_set=cset, year=2026)


def test_full_workflow_records_each_step(draft, leader, province_officer):
    meet_criteria(draft.unit, draft.criteria_set, 2026)
    move_assessment(actor=leader, assessment=draft, step="submit")
    move_assessment(
        actor=province_officer,
        assessment=draft,
        step="return",
        comment="Bổ sung minh chứng chỉ tiêu 8.1",
    )
    move_assessment(actor=leader, assessment=draft, step="submit")
    move_assessment(actor=province_officer, assessment=draft, step="appraise")
    done = move_assessment(
        actor=province_officer, assessment=draft, step="recognise", comment="Đạt"
    )
    assert done.status == AssessmentStatus.RECOGNISED and done.recognised_at
    steps = list(done.steps.values_list("to_status", "actor__username", "comment"))
    assert steps == [
        ("draft", "chutich.votranh", ""),
        ("submitted", "chutich.votranh", ""),
        ("returned", "tinh.thainguyen", "Bổ sung minh chứng chỉ tiêu 8.1"),
        ("submitted", "chutich.votranh", ""),
        ("appraised", "tinh.thainguyen", ""),
        ("recognised", "tinh.thainguyen", "Đạt"),
    ]


def test_commune_cannot_appraise_its_own_assessment(draft, leader):
    move_assessment(actor=leader, assessment=draft, step="submit")
    with pytest.raises(PermissionDenied):
        move_assessment(actor=leader, assessment=draft, step="appraise")


def test_a_commune_official_enters_values_but_neither_opens_nor_sends_the_assessment(
    catalogue, classified, official, leader
):
    cset = CriteriaSet.objects.get(code="ntm-xa-2026-2030")
    with pytest.raises(PermissionDenied):
        start_assessment(actor=official, unit=classified, criteria_set=cset, year=2026)
    draft = start_assessment(actor=leader, unit=classified, criteria_set=cset, year=2026)
    with pytest.raises(PermissionDenied):
        move_assessment(actor=official, assessment=draft, step="submit")
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT


def test_the_province_cannot_send_the_communes_assessment(draft, province_officer):
    with pytest.raises(PermissionDenied):
        move_assessment(actor=province_officer, assessment=draft, step="submit")


def test_cannot_recognise_before_appraisal(draft, leader, province_officer):
    move_assessment(actor=leader, assessment=draft, step="submit")
    with pytest.raises(AssessmentTransitionRefused) as err:
        move_assessment(actor=province_officer, assessment=draft, step="recognise")
    assert err.value.code == "monitor.assessment_transition_refused"
    assert "Đã gửi tỉnh" in err.value.message


def test_return_needs_a_comment(draft, leader, province_officer):
    move_assessment(actor=leader, assessment=draft, step="submit")
    with pytest.raises(ValidationFailed) as err:
        move_assessment(actor=province_officer, assessment=draft, step="return")
    assert err.value.code == "monitor.comment_required"


def test_other_commune_cannot_start_an_assessment(catalogue, classified, other_official):
    with pytest.raises(PermissionDenied):
        start_assessment(
            actor=other_official,
            unit=classified,
            criteria_set=CriteriaSet.objects.get(code="ntm-xa-2026-2030"),
            year=2026,
        )


def test_recognised_assessment_is_frozen_and_warns_when_data_change(
    draft, leader, province_officer, fake_providers, classified
):
    meet_criteria(classified, draft.criteria_set, 2026)
    fake_providers[classified.pk] = good_figures(**{"procedures.online_rate": Figure(70, 100)})
    recompute_indicators(units=[classified], year=2026)
    for step, who in (
        ("submit", leader),
        ("appraise", province_officer),
        ("recognise", province_officer),
    ):
        move_assessment(actor=who, assessment=draft, step=step)
    draft.refresh_from_db()
    assert draft.snapshot["NTM26.9.1"]["value"] == "70.00"
    assert data_changed_since(draft) == []
    fake_providers[classified.pk] = good_figures(**{"procedures.online_rate": Figure(40, 100)})
    recompute_indicators(units=[classified], year=2026)
    draft.refresh_from_db()
    assert draft.snapshot["NTM26.9.1"]["value"] == "70.00"  # the recognised figure stays
    assert draft.snapshot["NTM26.9.1"]["status"] == "met"
    assert data_changed_since(draft) == ["NTM26.9.1"]


def test_evidence_is_checked_by_content_not_by_name(catalogue, classified, official):
    ind = Indicator.objects.get(code="NTM21.8.3")
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(UploadWrongType) as err:
        enter_indicator_value(
            actor=official, unit=classified, indicator=ind, year=2025, value=1, files=[fake]
        )
    assert err.value.code == "core.upload_wrong_type"
    assert "chỉ nhận PDF, ảnh JPEG, ảnh PNG, ảnh WebP" in err.value.message
    assert not IndicatorValue.objects.exists()  # all or nothing
    ok = SimpleUploadedFile("bien-ban.pdf", PDF)
    v = enter_indicator_value(
        actor=official,
        unit=classified,
        indicator=ind,
        year=2025,
        value=1,
        note="Đài truyền thanh 12 cụm loa",
        files=[ok],
    )
    assert v.status == "met" and v.evidence.get().content_type == "application/pdf"
    assert v.entered_by == official and v.computed_at <= timezone.now()


def test_computed_indicator_cannot_be_typed_in(catalogue, classified, official):
    from langso.monitor.exceptions import ValueNotEnterable

    with pytest.raises(ValueNotEnterable):
        enter_indicator_value(
            actor=official,
            unit=classified,
            year=2025,
            value=99,
            indicator=Indicator.objects.get(code="CDS924.CQS.1"),
        )


@pytest.fixture
def appraised(draft, leader, province_officer):
    """Sent and appraised; the commune meets every criterion but 1 (no data) and 7 (not met)."""
    meet_criteria(draft.unit, draft.criteria_set, 2026, except_numbers={"1"})
    IndicatorValue.objects.filter(unit=draft.unit, year=2026, indicator__code="NTM26.7.4").update(
        value=40, numerator=40, status="not_met"
    )
    move_assessment(actor=leader, assessment=draft, step="submit")
    move_assessment(actor=province_officer, assessment=draft, step="appraise")
    return draft


def test_recognition_is_refused_while_criteria_are_unmet_and_names_them(
    appraised, province_officer
):
    with pytest.raises(CriteriaUnmet) as err:
        move_assessment(actor=province_officer, assessment=appraised, step="recognise")
    assert err.value.code == "monitor.criteria_unmet"
    assert err.value.http_status == 409
    assert err.value.details["unmet"] == ["1", "7"]
    message = err.value.message
    assert "còn 2 tiêu chí chưa đạt" in message
    assert "1. Quy hoạch (Chưa có số liệu)" in message
    assert "7. Khoa học, công nghệ và chuyển đổi số (Chưa đạt)" in message
    appraised.refresh_from_db()
    assert appraised.status == AssessmentStatus.APPRAISED and appraised.recognised_at is None
    assert not appraised.steps.filter(to_status="recognised").exists()


def test_a_basically_met_criterion_does_not_allow_recognition(appraised, province_officer):
    IndicatorValue.objects.filter(unit=appraised.unit, year=2026).update(status="met")
    IndicatorValue.objects.filter(
        unit=appraised.unit, year=2026, indicator__code="NTM26.7.2"
    ).update(status="basic")
    meet_criteria(appraised.unit, appraised.criteria_set, 2026, except_numbers={"7"})
    with pytest.raises(CriteriaUnmet) as err:
        move_assessment(actor=province_officer, assessment=appraised, step="recognise")
    assert err.value.details["unmet"] == ["7"] and "(Cơ bản đạt)" in err.value.message


def test_the_province_recognises_by_an_audited_override_with_its_reason(
    appraised, province_officer
):
    from langso.core.models import AuditEvent

    reason = "Quyết định 1234/QĐ-UBND: tiêu chí 1 và 7 được thẩm định trên hồ sơ giấy."
    done = recognise_with_override(actor=province_officer, assessment=appraised, reason=reason)
    assert done.status == AssessmentStatus.RECOGNISED and done.recognised_at
    override = RecognitionOverride.objects.get(assessment=appraised)
    assert override.reason == reason and override.decided_by == province_officer
    assert [c["number"] for c in override.unmet] == ["1", "7"]
    step = done.steps.get(to_status="recognised")
    assert step.actor == province_officer and reason in step.comment
    assert "còn 2 tiêu chí chưa đạt" in step.comment
    event = AuditEvent.objects.get(object_type="monitor.RecognitionOverride")
    assert event.actor == province_officer and event.action == "create"
    assert reason[:40] in event.purpose and event.fields == {"unmet": ["1", "7"]}
    assert event.unit == appraised.unit


def test_an_override_needs_a_reason(appraised, province_officer):
    with pytest.raises(ReasonRequired) as err:
        recognise_with_override(actor=province_officer, assessment=appraised, reason="  ok ")
    assert err.value.code == "monitor.reason_required"
    assert not RecognitionOverride.objects.exists()
    appraised.refresh_from_db()
    assert appraised.status == AssessmentStatus.APPRAISED


def test_only_the_province_may_override(appraised, leader, official):
    for who in (leader, official):
        with pytest.raises(PermissionDenied):
            recognise_with_override(
                actor=who, assessment=appraised, reason="Lý do đủ dài để được ghi nhận."
            )
    assert not RecognitionOverride.objects.exists()


def test_an_override_is_refused_before_appraisal_and_when_nothing_is_unmet(
    draft, leader, province_officer
):
    move_assessment(actor=leader, assessment=draft, step="submit")
    with pytest.raises(AssessmentTransitionRefused):
        recognise_with_override(
            actor=province_officer, assessment=draft, reason="Lý do đủ dài để được ghi nhận."
        )
    meet_criteria(draft.unit, draft.criteria_set, 2026)
    move_assessment(actor=province_officer, assessment=draft, step="appraise")
    with pytest.raises(OverrideNotNeeded) as err:
        recognise_with_override(
            actor=province_officer, assessment=draft, reason="Lý do đủ dài để được ghi nhận."
        )
    assert err.value.code == "monitor.override_not_needed"
    assert move_assessment(actor=province_officer, assessment=draft, step="recognise").status == (
        AssessmentStatus.RECOGNISED
    )


def test_the_smart_commune_pilot_is_assessed_against_its_own_criteria(
    catalogue, classified, leader, province_officer
):
    smart = CriteriaSet.objects.get(code="ntm-thong-minh-thi-diem")
    assert smart.kind == "smart_pilot" and smart.to_confirm
    pilot = start_assessment(actor=leader, unit=classified, criteria_set=smart, year=2026)
    meet_criteria(classified, smart, 2026, except_numbers={"6"})
    move_assessment(actor=leader, assessment=pilot, step="submit")
    move_assessment(actor=province_officer, assessment=pilot, step="appraise")
    with pytest.raises(CriteriaUnmet) as err:
        move_assessment(actor=province_officer, assessment=pilot, step="recognise")
    assert err.value.details["unmet"] == ["6"]
    assert "6. Người dân sử dụng dịch vụ số" in err.value.message

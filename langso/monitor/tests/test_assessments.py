import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.figures import Figure
from langso.core.uploads import UploadWrongType
from langso.monitor.actions import (
    enter_indicator_value,
    move_assessment,
    recompute_indicators,
    start_assessment,
)
from langso.monitor.exceptions import AssessmentTransitionRefused
from langso.monitor.models import AssessmentStatus, CriteriaSet, Indicator, IndicatorValue
from langso.monitor.queries import data_changed_since

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(catalogue, classified, official):
    cset = CriteriaSet.objects.get(code="ntm-xa-2026-2030")
    return start_assessment(actor=official, unit=classified, criteria_set=cset, year=2026)


def test_full_workflow_records_each_step(draft, official, province_officer):
    move_assessment(actor=official, assessment=draft, step="submit")
    move_assessment(
        actor=province_officer,
        assessment=draft,
        step="return",
        comment="Bổ sung minh chứng chỉ tiêu 8.1",
    )
    move_assessment(actor=official, assessment=draft, step="submit")
    move_assessment(actor=province_officer, assessment=draft, step="appraise")
    done = move_assessment(
        actor=province_officer, assessment=draft, step="recognise", comment="Đạt"
    )
    assert done.status == AssessmentStatus.RECOGNISED and done.recognised_at
    steps = list(done.steps.values_list("to_status", "actor__username", "comment"))
    assert steps == [
        ("draft", "canbo.votranh", ""),
        ("submitted", "canbo.votranh", ""),
        ("returned", "tinh.thainguyen", "Bổ sung minh chứng chỉ tiêu 8.1"),
        ("submitted", "canbo.votranh", ""),
        ("appraised", "tinh.thainguyen", ""),
        ("recognised", "tinh.thainguyen", "Đạt"),
    ]


def test_commune_cannot_appraise_its_own_assessment(draft, official, leader):
    move_assessment(actor=official, assessment=draft, step="submit")
    with pytest.raises(PermissionDenied):
        move_assessment(actor=leader, assessment=draft, step="appraise")


def test_cannot_recognise_before_appraisal(draft, official, province_officer):
    move_assessment(actor=official, assessment=draft, step="submit")
    with pytest.raises(AssessmentTransitionRefused) as err:
        move_assessment(actor=province_officer, assessment=draft, step="recognise")
    assert err.value.code == "assessment_transition_refused"
    assert "Đã gửi tỉnh" in err.value.message


def test_return_needs_a_comment(draft, official, province_officer):
    move_assessment(actor=official, assessment=draft, step="submit")
    with pytest.raises(ValidationFailed) as err:
        move_assessment(actor=province_officer, assessment=draft, step="return")
    assert err.value.code == "comment_required"


def test_other_commune_cannot_start_an_assessment(catalogue, classified, other_official):
    with pytest.raises(PermissionDenied):
        start_assessment(
            actor=other_official,
            unit=classified,
            criteria_set=CriteriaSet.objects.get(code="ntm-xa-2026-2030"),
            year=2026,
        )


def test_recognised_assessment_is_frozen_and_warns_when_data_change(
    draft, official, province_officer, fake_providers, classified
):
    fake_providers[classified.pk] = {"procedures.online_rate": Figure(70, 100)}
    recompute_indicators(units=[classified], year=2026)
    for step, who in (
        ("submit", official),
        ("appraise", province_officer),
        ("recognise", province_officer),
    ):
        move_assessment(actor=who, assessment=draft, step=step)
    draft.refresh_from_db()
    assert draft.snapshot["NTM26.9.1"]["value"] == "70.00"
    assert data_changed_since(draft) == []
    fake_providers[classified.pk] = {"procedures.online_rate": Figure(40, 100)}
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
    assert err.value.code == "upload.wrong_type"
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

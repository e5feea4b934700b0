"""The assessment section of the commune page, per role: each role sees only the buttons of
the steps it may take, and a POST of any other step is refused and changes nothing."""

import pytest
from django.urls import reverse

from langso.monitor.actions import move_assessment, start_assessment
from langso.monitor.models import Assessment, CriteriaSet, IndicatorValue, RecognitionOverride
from langso.monitor.tests.conftest import meet_criteria

PAGE = reverse("monitor:commune_detail", args=["05641"]) + "?year=2026"
BUTTONS = {
    "start": "Lập hồ sơ tự đánh giá",
    "submit": 'name="step" value="submit"',
    "appraise": 'name="step" value="appraise"',
    "recognise": 'name="step" value="recognise"',
    "return": 'name="step" value="return"',
    "override": 'data-testid="override-form"',
}
REASON = "Biên bản thẩm định số 12/BB-VPĐP: tiêu chí 1 đã đạt trên hồ sơ giấy."


def buttons_seen(client, user, url=PAGE) -> set[str]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name, marker in BUTTONS.items() if marker in html}


@pytest.fixture
def ntm26(catalogue, classified):
    return CriteriaSet.objects.get(code="ntm-xa-2026-2030")


@pytest.fixture
def draft(ntm26, classified, leader):
    return start_assessment(actor=leader, unit=classified, criteria_set=ntm26, year=2026)


@pytest.fixture
def appraised_unmet(draft, leader, province_officer):
    meet_criteria(draft.unit, draft.criteria_set, 2026, except_numbers={"1"})
    move_assessment(actor=leader, assessment=draft, step="submit")
    move_assessment(actor=province_officer, assessment=draft, step="appraise")
    return draft


def test_without_an_assessment_only_the_leader_may_open_one(
    client, ntm26, leader, official, health_worker, province_officer
):
    assert buttons_seen(client, leader) == {"start"}
    for user in (official, health_worker, province_officer):
        assert buttons_seen(client, user) == set()
        client.force_login(user)
        r = client.post(reverse("monitor:assessment_start", args=["05641", 2026]))
        assert r.status_code == 403
    assert not Assessment.objects.exists()


def test_a_draft_shows_send_to_the_leader_only(
    client, draft, leader, official, health_worker, province_officer
):
    assert buttons_seen(client, leader) == {"submit"}
    for user in (official, health_worker, province_officer):
        assert buttons_seen(client, user) == set()
        client.force_login(user)
        r = client.post(reverse("monitor:assessment_move", args=[draft.pk]), {"step": "submit"})
        assert r.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.force_login(official)
    assert "Bạn chỉ xem hồ sơ này" in client.get(PAGE).content.decode()


def test_a_sent_assessment_shows_appraise_and_return_to_the_province_only(
    client, draft, leader, official, province_officer
):
    move_assessment(actor=leader, assessment=draft, step="submit")
    assert buttons_seen(client, province_officer) == {"appraise", "return"}
    for user in (leader, official):
        assert buttons_seen(client, user) == set()
        client.force_login(user)
        for step in ("appraise", "return", "recognise"):
            r = client.post(
                reverse("monitor:assessment_move", args=[draft.pk]),
                {"step": step, "comment": "x"},
            )
            assert r.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_an_appraised_assessment_with_unmet_criteria_offers_the_province_an_override(
    client, appraised_unmet, leader, official, province_officer
):
    assert buttons_seen(client, province_officer) == {"return", "override"}
    client.force_login(province_officer)
    html = client.get(PAGE).content.decode()
    assert "Chưa đủ điều kiện công nhận: còn 1 tiêu chí chưa đạt" in html
    assert "1. Quy hoạch (Chưa có số liệu)" in html
    for user in (leader, official):
        assert buttons_seen(client, user) == set()
        client.force_login(user)
        r = client.post(
            reverse("monitor:assessment_override", args=[appraised_unmet.pk]), {"reason": REASON}
        )
        assert r.status_code == 403
    assert not RecognitionOverride.objects.exists()


def test_recognising_with_unmet_criteria_is_refused_with_the_criteria_named(
    client, appraised_unmet, province_officer
):
    client.force_login(province_officer)
    r = client.post(
        reverse("monitor:assessment_move", args=[appraised_unmet.pk]),
        {"step": "recognise"},
        follow=True,
    )
    html = r.content.decode()
    assert "Chưa thể công nhận: còn 1 tiêu chí chưa đạt: 1. Quy hoạch" in html
    appraised_unmet.refresh_from_db()
    assert appraised_unmet.status == "appraised"


def test_the_override_is_shown_on_the_assessment_page_and_in_the_audit_log(
    client, appraised_unmet, province_officer, official
):
    client.force_login(province_officer)
    r = client.post(
        reverse("monitor:assessment_override", args=[appraised_unmet.pk]),
        {"reason": REASON},
        follow=True,
    )
    assert "Đã công nhận theo ngoại lệ" in r.content.decode()
    appraised_unmet.refresh_from_db()
    assert appraised_unmet.status == "recognised"
    client.force_login(official)
    html = client.get(PAGE).content.decode()
    assert 'data-testid="override"' in html and REASON in html
    assert "Tiêu chí chưa đạt khi công nhận" in html and "1. Quy hoạch" in html
    client.force_login(province_officer)
    log = client.get(reverse("audit_log")).content.decode()
    assert "Công nhận ngoại lệ: Biên bản thẩm định số 12/BB-VPĐP" in log


def test_a_short_override_reason_is_refused_on_the_page(client, appraised_unmet, province_officer):
    client.force_login(province_officer)
    r = client.post(
        reverse("monitor:assessment_override", args=[appraised_unmet.pk]),
        {"reason": "vì đạt"},
        follow=True,
    )
    assert "ít nhất 20" in r.content.decode()
    appraised_unmet.refresh_from_db()
    assert appraised_unmet.status == "appraised"


def test_a_commune_official_sees_no_link_to_enter_values_it_cannot_enter(
    client, ntm26, official, health_worker
):
    enter = reverse("monitor:enter_value", args=["05641", 2026, "NTM26.1.1"])
    client.force_login(official)
    assert enter in client.get(PAGE).content.decode()
    client.force_login(health_worker)
    assert enter not in client.get(PAGE).content.decode()


def test_the_smart_commune_pilot_has_its_own_tab_criteria_sources_and_assessment(
    client, catalogue, classified, leader
):
    client.force_login(leader)
    html = client.get(PAGE).content.decode()
    assert "Xã nông thôn mới thông minh (thí điểm)" in html
    pilot_page = PAGE + "&bo=ntm-thong-minh-thi-diem"
    html = client.get(pilot_page).content.decode()
    assert "Mô hình thí điểm xã nông thôn mới thông minh" in html
    assert "Công văn 3445/BNN-VPĐP" in html and "Nguồn của bộ tiêu chí" in html
    assert "Kế hoạch xây dựng xã nông thôn mới thông minh" in html
    assert 'class="pillar">Thể chế<' in html and 'class="pillar">Công nghệ<' in html
    assert "6. Người dân sử dụng dịch vụ số" in html
    r = client.post(
        reverse("monitor:assessment_start", args=["05641", 2026]),
        {"bo": "ntm-thong-minh-thi-diem"},
    )
    assert r.status_code == 302 and "bo=ntm-thong-minh-thi-diem" in r["Location"]
    a = Assessment.objects.get()
    assert a.criteria_set.code == "ntm-thong-minh-thi-diem"
    assert IndicatorValue.objects.count() == 0  # opening an assessment writes no value

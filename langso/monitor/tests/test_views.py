import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from langso.core.figures import Figure
from langso.monitor.actions import recompute_indicators, start_assessment
from langso.monitor.models import Assessment, CriteriaSet, IndicatorValue
from langso.monitor.tests.conftest import meet_criteria
from langso.people.models import Role

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def computed(catalogue, classified, province, fake_providers):
    fake_providers[classified.pk] = {
        "procedures.online_rate": Figure(70, 100),
        "documents.signed_rate": Figure(95, 100),
    }
    recompute_indicators(units=[province], year=2025)
    recompute_indicators(units=[province], year=2026)
    return classified


def test_commune_dashboard_without_arguments_opens_the_officials_commune(
    client, official, computed
):
    client.force_login(official)
    r = client.get(reverse("monitor:commune_dashboard") + "?year=2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Xã Vô Tranh" in html and "Thông tin và Truyền thông" in html
    assert "0/19 tiêu chí đạt" in html
    assert "Còn thiếu" in html and "chưa có số liệu" in html
    v = IndicatorValue.objects.get(unit=computed, indicator__code="NTM21.8.4", year=2025)
    assert reverse("monitor:how_computed", args=[v.pk]) in html


def test_dashboard_shows_values_carried_from_the_old_communes(
    client, official, computed, legacy_units
):
    from django.utils import timezone

    from langso.monitor.models import Indicator

    ind = Indicator.objects.get(code="NTM21.13.2")
    for unit, n in ((legacy_units["tuc_tranh"], 2), (legacy_units["phu_do"], 1)):
        IndicatorValue.objects.create(
            unit=unit,
            indicator=ind,
            year=2023,
            numerator=n,
            value=n,
            source="computed",
            computed_at=timezone.now(),
        )
    client.force_login(official)
    html = client.get(
        reverse("monitor:commune_detail", args=["05641"]) + "?year=2023"
    ).content.decode()
    assert "Chuyển từ xã cũ" in html and "Xã Tức Tranh" in html and "Xã Phú Đô" in html


def test_official_of_another_commune_is_refused(client, other_official, computed):
    client.force_login(other_official)
    r = client.get(reverse("monitor:commune_detail", args=["05641"]))
    assert r.status_code == 404
    assert "không có quyền xem" in r.content.decode()


def test_resident_has_no_commune_dashboard(client, resident_user, computed):
    client.force_login(resident_user)
    assert client.get(reverse("monitor:commune_dashboard")).status_code == 404


def test_anonymous_is_sent_to_login(client, computed):
    r = client.get(reverse("monitor:commune_dashboard"))
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_province_officer_sees_map_ranking_and_targets(
    client, province_officer, computed, neighbour_commune
):
    neighbour_commune.latitude, neighbour_commune.longitude = 21.6, 105.8
    neighbour_commune.save()
    client.force_login(province_officer)
    r = client.get(reverse("monitor:province_dashboard") + "?year=2025")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="communes-geojson"' in html and "LangSoMap" not in html  # JS file does it
    assert "province_map.js" in html
    assert r.context["geojson"]["features"][0]["properties"]["name"] in {
        "Xã Vô Tranh",
        "Xã Phú Lương",
    }
    assert "Ít nhất 97% số xã đạt chỉ tiêu 8.4" in html
    assert "Xếp hạng các xã" in html
    share = IndicatorValue.objects.get(
        unit__code="19", unit__level="province", indicator__code="CDS924.CQS.3", year=2025
    )
    assert reverse("monitor:how_computed", args=[share.pk]) in html
    assert reverse("monitor:commune_detail", args=["05641"]) in html


def test_commune_official_cannot_open_the_province_dashboard(client, official, computed):
    client.force_login(official)
    assert client.get(reverse("monitor:province_dashboard")).status_code == 404
    assert client.get(reverse("monitor:province_detail", args=["19"])).status_code == 404


def test_how_computed_shows_numerator_denominator_and_source(client, official, computed):
    v = IndicatorValue.objects.get(unit=computed, indicator__code="NTM26.9.1", year=2026)
    client.force_login(official)
    html = client.get(reverse("monitor:how_computed", args=[v.pk])).content.decode()
    assert "procedures.online_rate" in html and "Tính từ dữ liệu nền tảng" in html
    assert "70,00" in html or "70.00" in html


def test_how_computed_is_refused_outside_scope(client, other_official, computed):
    v = IndicatorValue.objects.filter(unit=computed).first()
    client.force_login(other_official)
    assert client.get(reverse("monitor:how_computed", args=[v.pk])).status_code == 404


def test_official_enters_a_value_with_evidence(client, official, computed):
    client.force_login(official)
    url = reverse("monitor:enter_value", args=["05641", 2025, "NTM21.8.3"])
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"value": "1", "note": "12 cụm loa", "evidence": [SimpleUploadedFile("anh.pdf", PDF)]}
    )
    assert r.status_code == 302
    v = IndicatorValue.objects.get(unit=computed, indicator__code="NTM21.8.3", year=2025)
    assert (v.status, v.note, v.evidence.count()) == ("met", "12 cụm loa", 1)
    r = client.get(reverse("monitor:evidence", args=[v.evidence.get().pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_a_fake_evidence_file_is_refused_with_a_message(client, official, computed):
    client.force_login(official)
    url = reverse("monitor:enter_value", args=["05641", 2025, "NTM21.8.3"])
    r = client.post(
        url,
        {
            "value": "1",
            "note": "Biên bản kiểm tra loa",
            "evidence": [SimpleUploadedFile("a.pdf", b"<html>")],
        },
    )
    body = r.content.decode()
    assert r.status_code == 422
    assert "Tệp a.pdf không đúng định dạng: chỉ nhận PDF, ảnh JPEG, ảnh PNG, ảnh WebP" in body
    assert "Biên bản kiểm tra loa" in body  # the note is kept
    assert not IndicatorValue.objects.filter(indicator__code="NTM21.8.3").exists()


def test_an_evidence_file_over_the_limit_is_refused(client, official, computed, monkeypatch):
    from langso.monitor.actions import values

    monkeypatch.setattr(values, "MAX_EVIDENCE_BYTES", 100)
    client.force_login(official)
    url = reverse("monitor:enter_value", args=["05641", 2025, "NTM21.8.3"])
    r = client.post(url, {"value": "1", "evidence": [SimpleUploadedFile("a.pdf", PDF * 10)]})
    assert "Tệp a.pdf quá lớn" in r.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="NTM21.8.3").exists()


def test_health_worker_cannot_enter_values(client, health_worker, computed):
    client.force_login(health_worker)
    url = reverse("monitor:enter_value", args=["05641", 2025, "NTM21.8.3"])
    assert client.get(url).status_code == 403


def test_assessment_steps_through_the_pages(client, leader, province_officer, computed):
    client.force_login(leader)
    r = client.post(reverse("monitor:assessment_start", args=["05641", 2026]))
    assert r.status_code == 302
    a = Assessment.objects.get()
    meet_criteria(computed, a.criteria_set, 2026)
    client.post(reverse("monitor:assessment_move", args=[a.pk]), {"step": "submit"})
    r = client.post(reverse("monitor:assessment_move", args=[a.pk]), {"step": "appraise"})
    assert r.status_code == 403
    client.force_login(province_officer)
    client.post(reverse("monitor:assessment_move", args=[a.pk]), {"step": "appraise"})
    client.post(reverse("monitor:assessment_move", args=[a.pk]), {"step": "recognise"})
    a.refresh_from_db()
    assert a.status == "recognised"
    html = client.get(
        reverse("monitor:commune_detail", args=["05641"]) + "?year=2026"
    ).content.decode()
    assert "Đã công nhận" in html


def test_frozen_assessment_page_warns_about_changed_data(
    client, official, leader, province_officer, computed, fake_providers
):
    a = start_assessment(
        actor=leader,
        unit=computed,
        year=2026,
        criteria_set=CriteriaSet.objects.get(code="ntm-xa-2026-2030"),
    )
    from langso.monitor.actions import move_assessment

    meet_criteria(computed, a.criteria_set, 2026)
    for step, who in (
        ("submit", leader),
        ("appraise", province_officer),
        ("recognise", province_officer),
    ):
        move_assessment(actor=who, assessment=a, step=step)
    fake_providers[computed.pk] = {"procedures.online_rate": Figure(10, 100)}
    recompute_indicators(units=[computed], year=2026)
    client.force_login(official)
    html = client.get(reverse("monitor:commune_dashboard") + "?year=2026").content.decode()
    assert "Số liệu đã thay đổi từ khi được công nhận" in html and "NTM26.9.1" in html


def test_district_officer_of_legacy_units_is_refused_the_2025_commune(
    client, computed, legacy_units
):
    user = make_user("huyen.phuluong", Role.DISTRICT_OFFICER, legacy_units["district"])
    client.force_login(user)
    assert client.get(reverse("monitor:commune_detail", args=["05641"])).status_code == 404


def test_admin_lists_only_the_officials_values(client, official, other_official, computed):
    client.force_login(official)
    r = client.get(reverse("admin:monitor_indicatorvalue_changelist"))
    assert r.status_code == 200 and "Xã Vô Tranh" in r.content.decode()
    client.force_login(other_official)
    r = client.get(reverse("admin:monitor_indicatorvalue_changelist"))
    assert "Xã Vô Tranh" not in r.content.decode()


def test_how_computed_of_a_derived_value_lists_the_communes(client, province_officer, computed):
    share = IndicatorValue.objects.get(
        unit__code="19", unit__level="province", indicator__code="CDS924.CQS.3", year=2025
    )
    client.force_login(province_officer)
    html = client.get(reverse("monitor:how_computed", args=[share.pk])).content.decode()
    assert "Tổng hợp từ đơn vị cấp dưới" in html and "Các xã được tổng hợp" in html
    assert reverse("monitor:commune_detail", args=["05641"]) in html


def test_a_value_without_a_threshold_says_the_threshold_is_to_confirm(client, official, computed):
    client.force_login(official)
    url = reverse("monitor:enter_value", args=["05641", 2025, "NTM21.2.2"])
    r = client.post(
        url,
        {
            "value": "80",
            "note": "Đo đạc 2025",
            "evidence": [SimpleUploadedFile("bien-ban.pdf", PDF)],
        },
    )
    assert r.status_code == 302
    v = IndicatorValue.objects.get(unit=computed, indicator__code="NTM21.2.2", year=2025)
    assert v.status == "no_data" and v.value is not None
    html = client.get(reverse("monitor:commune_dashboard") + "?year=2025").content.decode()
    assert "2.2: chưa có ngưỡng đánh giá (cần xác nhận theo văn bản)" in html

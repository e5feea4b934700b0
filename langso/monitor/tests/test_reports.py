import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from langso.core.figures import Figure
from langso.monitor.actions import enter_indicator_value, recompute_indicators
from langso.monitor.models import Indicator, IndicatorValue

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def filled(catalogue, classified, province, official, fake_providers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake_providers[classified.pk] = {
        "documents.signed_rate": Figure(95, 100),
        "procedures.online_rate": Figure(7, 10),
    }
    enter_indicator_value(
        actor=official,
        unit=classified,
        year=2025,
        value=1,
        indicator=Indicator.objects.get(code="NTM21.8.3"),
        files=[SimpleUploadedFile("biên bản loa.pdf", PDF)],
    )
    recompute_indicators(units=[province], year=2025)
    return classified


def test_commune_excel_has_the_criteria_table_with_status_and_evidence(client, official, filled):
    client.force_login(official)
    r = client.get(reverse("monitor:commune_report", args=["05641", "xlsx"]) + "?year=2025")
    assert r.status_code == 200 and "ntm-05641-2025.xlsx" in r["Content-Disposition"]
    ws = load_workbook(BytesIO(r.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "BÁO CÁO KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NÔNG THÔN MỚI"
    line = next(row for row in rows if row[0] == "8.3")
    assert line[4] == "Đạt" and line[5] == "biên bản loa.pdf"
    assert next(row for row in rows if row[0] == "8.4")[2].startswith("95")


def test_commune_pdf_keeps_vietnamese_text(client, official, filled):
    client.force_login(official)
    r = client.get(reverse("monitor:commune_report", args=["05641", "pdf"]) + "?year=2025")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(r.content)).pages)
    for phrase in (
        "BÁO CÁO KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NÔNG THÔN MỚI",
        "Xã Vô Tranh",
        "Thông tin và Truyền thông",
        "Chưa có số liệu",
        "biên bản loa.pdf",
    ):
        assert phrase in text


def test_province_reports_rank_the_communes(client, province_officer, filled):
    client.force_login(province_officer)
    r = client.get(reverse("monitor:province_report", args=["19", "xlsx"]) + "?year=2025")
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert next(row for row in rows if row[1] == "Xã Vô Tranh")[0] == 1
    r = client.get(reverse("monitor:province_report", args=["19", "pdf"]) + "?year=2025")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(r.content)).pages)
    assert "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI" in text
    assert "Tỉnh Thái Nguyên" in text


def test_reports_are_refused_outside_scope(client, other_official, filled):
    client.force_login(other_official)
    assert client.get(reverse("monitor:commune_report", args=["05641", "pdf"])).status_code == 404
    assert client.get(reverse("monitor:province_report", args=["19", "xlsx"])).status_code == 404


def test_dhis2_round_trip_keeps_values_numerators_and_denominators(
    client, province_officer, filled
):
    client.force_login(province_officer)
    url = reverse("api:monitor_dhis2_export")
    r = client.get(
        url,
        {"orgUnit": "2025:province:19", "period": 2025, "children": "true", "idScheme": "CODE"},
    )
    assert r.status_code == 200
    data = r.json()
    row = next(
        d
        for d in data["dataValues"]
        if d["dataElement"] == "CDS924.CQS.1" and d["orgUnit"] == "2025:commune:05641"
    )
    assert (row["period"], row["value"]) == ("2025", "70")
    assert {"dataElement": "CDS924.CQS.1-DEN", "value": "10"}.items() <= next(
        d
        for d in data["dataValues"]
        if d["dataElement"] == "CDS924.CQS.1-DEN" and d["orgUnit"] == "2025:commune:05641"
    ).items()
    before = {
        (v.unit_id, v.indicator_id, v.year): (v.numerator, v.denominator, v.value, v.status)
        for v in IndicatorValue.objects.all()
    }
    IndicatorValue.objects.all().delete()
    r = client.post(url, json.dumps(data), content_type="application/json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "SUCCESS"
    after = {
        (v.unit_id, v.indicator_id, v.year): (v.numerator, v.denominator, v.value, v.status)
        for v in IndicatorValue.objects.all()
    }
    with_value = {k: v for k, v in before.items() if v[2] is not None}
    assert after == with_value
    assert r.json()["importCount"]["imported"] == len(with_value)


def test_dhis2_import_is_all_or_nothing_and_reports_conflicts(client, official, filled):
    client.force_login(official)
    count = IndicatorValue.objects.count()
    payload = {
        "dataValues": [
            {
                "dataElement": "NTM21.8.1",
                "period": "2025",
                "orgUnit": "2025:commune:05641",
                "value": "1",
            },
            {
                "dataElement": "NTM99.1",
                "period": "2025",
                "orgUnit": "2025:commune:05641",
                "value": "1",
            },
            {
                "dataElement": "NTM21.8.2",
                "period": "2025",
                "orgUnit": "2025:commune:00004",
                "value": "1",
            },
            {
                "dataElement": "NTM21.8.2",
                "period": "2025Q1",
                "orgUnit": "2025:commune:05641",
                "value": "1",
            },
            {
                "dataElement": "NTM21.8.2",
                "period": "2025",
                "orgUnit": "2025:commune:05641",
                "value": "một",
            },
        ]
    }
    r = client.post(
        reverse("api:monitor_dhis2_import"), json.dumps(payload), content_type="application/json"
    )
    assert r.status_code == 409
    body = r.json()
    assert body["status"] == "ERROR" and body["importCount"]["ignored"] == 5
    assert [c["errorCode"] for c in body["conflicts"]] == [
        "dataElement",
        "orgUnit",
        "period",
        "value",
    ]
    assert IndicatorValue.objects.count() == count


def test_dhis2_export_is_refused_for_another_province(client, other_official, filled):
    client.force_login(other_official)
    r = client.get(reverse("api:monitor_dhis2_export"), {"orgUnit": "2025:province:19"})
    assert r.status_code == 404 and r.json()["code"] == "core.not_found"


def test_dhis2_export_needs_a_login(client, filled):
    r = client.get(reverse("api:monitor_dhis2_export"), {"orgUnit": "2025:province:19"})
    assert r.status_code == 401

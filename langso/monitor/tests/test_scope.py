"""The New Rural programme's scope: wards are out by default, the province includes or
excludes units (audited, with validity years), and rankings, maps, province figures and
target percentages count only the units in the programme."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_unit, make_user
from langso.core.exceptions import PermissionDenied
from langso.core.figures import Figure
from langso.core.models import AuditEvent
from langso.monitor.actions import recompute_indicators, set_programme_membership
from langso.monitor.exceptions import ReasonRequired, ScopeDecisionRefused
from langso.monitor.models import IndicatorValue, ProgrammeMembership
from langso.monitor.queries import in_programme, province_ranking, set_for_year
from langso.people.models import Role
from langso.places.models import Level, Structure

REASON = "Quyết định 88/QĐ-UBND tỉnh: phường còn vùng sản xuất nông nghiệp."


@pytest.fixture
def ward(province):
    return make_unit(
        Structure.Y2025,
        Level.COMMUNE,
        "05500",
        "Phường Phan Đình Phùng",
        province,
        latitude=21.59,
        longitude=105.84,
    )


@pytest.fixture
def figures(catalogue, classified, ward, province, fake_providers):
    """Both units have a cooperative (KTS.1 met) and dossiers; the ward's online rate is low."""
    fake_providers[classified.pk] = {
        "economy.has_cooperative": Figure(1),
        "procedures.online_rate": Figure(80, 100),
    }
    fake_providers[ward.pk] = {
        "economy.has_cooperative": Figure(1),
        "procedures.online_rate": Figure(20, 100),
    }
    recompute_indicators(units=[province], year=2025)
    return fake_providers


def province_value(code: str, year: int = 2025) -> IndicatorValue:
    return IndicatorValue.objects.get(
        unit__code="19", unit__level="province", indicator__code=code, year=year
    )


def test_a_ward_is_not_in_the_programme_by_default(classified, ward):
    assert in_programme([classified, ward], 2025) == [classified]


def test_a_ward_is_not_ranked_by_default_and_including_it_ranks_it(
    catalogue, classified, ward, province, province_officer
):
    ranked = [r.unit for r in province_ranking(province, year=2025, criteria_set=None)]
    assert ranked == [classified]
    set_programme_membership(
        actor=province_officer, unit=ward, included=True, year_from=2025, reason=REASON
    )
    ranked = [r.unit for r in province_ranking(province, year=2025)]
    assert set(ranked) == {classified, ward}
    assert [r.unit for r in province_ranking(province, year=2024)] == [classified]  # validity


def test_target_percentages_and_province_figures_count_only_the_programme(
    figures, ward, province_officer
):
    share = province_value("CDS924.KTS.2")  # share of communes with a cooperative
    assert (share.numerator, share.denominator) == (Decimal(1), Decimal(1))
    online = province_value("CDS924.CQS.1")  # Σ online / Σ dossiers of the communes
    assert (online.numerator, online.denominator, online.value) == (80, 100, Decimal("80.00"))

    set_programme_membership(
        actor=province_officer, unit=ward, included=True, year_from=2025, reason=REASON
    )
    share = province_value("CDS924.KTS.2")
    assert (share.numerator, share.denominator) == (Decimal(2), Decimal(2))
    online = province_value("CDS924.CQS.1")
    assert (online.numerator, online.denominator, online.value) == (100, 200, Decimal("50.00"))


def test_excluding_a_commune_takes_it_out_of_the_denominators(
    figures, classified, ward, province_officer
):
    set_programme_membership(
        actor=province_officer, unit=ward, included=True, year_from=2025, reason=REASON
    )
    set_programme_membership(
        actor=province_officer,
        unit=classified,
        included=False,
        year_from=2025,
        year_to=2025,
        reason="Thử nghiệm: xã đang lập đề án lên phường.",
    )
    share = province_value("CDS924.KTS.2")
    assert (share.numerator, share.denominator) == (Decimal(1), Decimal(1))
    assert province_value("CDS924.CQS.1").value == Decimal("20.00")


def test_a_later_decision_of_the_same_start_year_replaces_the_earlier_and_both_are_audited(
    catalogue, ward, province_officer
):
    set_programme_membership(
        actor=province_officer, unit=ward, included=True, year_from=2026, reason=REASON
    )
    set_programme_membership(
        actor=province_officer,
        unit=ward,
        included=False,
        year_from=2026,
        reason="Huỷ quyết định trước: nhập nhầm đơn vị.",
    )
    row = ProgrammeMembership.objects.get(unit=ward)
    assert row.included is False and row.decided_by == province_officer
    events = AuditEvent.objects.filter(object_type="monitor.ProgrammeMembership").order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].purpose == REASON and events[0].unit == ward


def test_only_the_province_officer_decides_the_scope(
    catalogue, ward, leader, official, other_official
):
    for user in (leader, official, other_official):
        with pytest.raises(PermissionDenied):
            set_programme_membership(
                actor=user, unit=ward, included=True, year_from=2025, reason=REASON
            )
    assert not ProgrammeMembership.objects.exists()


def test_a_decision_needs_a_reason_and_ordered_years(catalogue, ward, province, province_officer):
    with pytest.raises(ReasonRequired):
        set_programme_membership(
            actor=province_officer, unit=ward, included=True, year_from=2025, reason="  "
        )
    with pytest.raises(ScopeDecisionRefused):
        set_programme_membership(
            actor=province_officer,
            unit=ward,
            included=True,
            year_from=2026,
            year_to=2025,
            reason=REASON,
        )
    with pytest.raises(ScopeDecisionRefused):
        set_programme_membership(
            actor=province_officer, unit=province, included=True, year_from=2025, reason=REASON
        )
    assert not ProgrammeMembership.objects.exists()


def test_the_scope_page_lets_the_province_include_a_ward(
    client, figures, classified, ward, province_officer
):
    url = reverse("monitor:programme_scope", args=["19"]) + "?year=2025"
    client.force_login(province_officer)
    html = client.get(url).content.decode()
    assert "Phường Phan Đình Phùng" in html and "Năm 2025: 1/2 đơn vị thuộc chương trình" in html
    assert "Đưa vào chương trình" in html
    r = client.post(
        url, {"unit": ward.code, "included": "1", "year_from": "2025", "reason": REASON}
    )
    assert r.status_code == 302
    assert ProgrammeMembership.objects.get(unit=ward).included
    html = client.get(url).content.decode()
    assert "Năm 2025: 2/2 đơn vị thuộc chương trình" in html and REASON in html
    dashboard = client.get(reverse("monitor:province_dashboard") + "?year=2025")
    names = {f["properties"]["name"] for f in dashboard.context["geojson"]["features"]}
    assert names == {"Xã Vô Tranh", "Phường Phan Đình Phùng"}  # the map follows


def test_the_map_and_ranking_leave_wards_out_by_default(client, figures, ward, province_officer):
    client.force_login(province_officer)
    r = client.get(reverse("monitor:province_dashboard") + "?year=2025")
    names = {f["properties"]["name"] for f in r.context["geojson"]["features"]}
    assert names == {"Xã Vô Tranh"}
    assert [x.unit.name for x in r.context["ranking"]] == ["Xã Vô Tranh"]


def test_the_scope_page_refuses_others(client, catalogue, ward, official, other_official, leader):
    url = reverse("monitor:programme_scope", args=["19"])
    for user in (official, other_official, leader):
        client.force_login(user)
        assert client.get(url).status_code == 404  # they do not see the province
        r = client.post(
            url, {"unit": ward.code, "included": "1", "year_from": "2025", "reason": REASON}
        )
        assert r.status_code == 404
    assert not ProgrammeMembership.objects.exists()


def test_the_standard_set_is_chosen_for_rankings_not_the_smart_pilot(catalogue):
    assert set_for_year(2026).code == "ntm-xa-2026-2030"
    assert set_for_year(2024).code == "ntm-xa-2021-2025"


def test_a_wards_own_page_says_it_is_not_counted(client, catalogue, ward, classified, leader):
    boss = make_user("chutich.phuong", Role.COMMUNE_LEADER, ward)
    client.force_login(boss)
    html = client.get(reverse("monitor:commune_detail", args=[ward.code])).content.decode()
    assert 'data-testid="not-in-programme"' in html
    assert "không tính vào xếp hạng, bản đồ và các mục tiêu của tỉnh" in html
    client.force_login(leader)
    html = client.get(reverse("monitor:commune_detail", args=["05641"])).content.decode()
    assert 'data-testid="not-in-programme"' not in html

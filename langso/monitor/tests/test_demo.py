import io

from langso.monitor.demo import load_demo
from langso.monitor.models import Assessment, RecognitionOverride
from langso.people.demo import create_demo_accounts


def test_the_demo_shows_an_override_and_a_smart_commune_assessment_waiting_for_the_province(
    province, commune, legacy_units
):
    create_demo_accounts(province, commune)
    out = io.StringIO()
    load_demo(commune=commune, province=province, seed=2025, stdout=out)
    recognised = Assessment.objects.get(unit=commune, year=2025)
    assert recognised.status == "recognised"
    # nine 2021-2025 indicators have no threshold yet: only an override could recognise it
    override = RecognitionOverride.objects.get(assessment=recognised)
    assert "cần xác nhận" in override.reason and override.unmet
    pilot = Assessment.objects.get(unit=commune, year=2026, criteria_set__kind="smart_pilot")
    assert pilot.status == "submitted"
    assert pilot.steps.get(to_status="submitted").actor.username == "chutich.votranh"
    assert "Hồ sơ xã NTM thông minh 2026 của Xã Vô Tranh: Đã gửi tỉnh" in out.getvalue()

import json
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langso.monitor.catalogue import load_catalogue
from langso.monitor.models import CriteriaSet, Criterion, Indicator, Source, Target, Threshold


def test_load_criteria_ships_the_four_sets_with_their_criteria(catalogue):
    sets = {s.code: s for s in CriteriaSet.objects.all()}
    assert set(sets) == {
        "ntm-xa-2021-2025",
        "ntm-xa-2026-2030",
        "cds-924-2022",
        "ntm-thong-minh-thi-diem",
    }
    assert sets["ntm-xa-2021-2025"].criteria.count() == 19
    assert sets["ntm-xa-2026-2030"].criteria.count() == 10
    assert "211/QĐ-TTg" in sets["ntm-xa-2021-2025"].amendments[0]
    names = dict(
        Criterion.objects.filter(criteria_set=sets["ntm-xa-2021-2025"]).values_list(
            "number", "name"
        )
    )
    assert names["8"] == "Thông tin và Truyền thông"
    assert names["18"] == "Hệ thống chính trị và tiếp cận pháp luật"
    new = dict(
        Criterion.objects.filter(criteria_set=sets["ntm-xa-2026-2030"]).values_list(
            "number", "name"
        )
    )
    assert new["7"] == "Khoa học, công nghệ và chuyển đổi số"
    assert new["9"] == "Hệ thống chính trị và hành chính công"
    numbers = set(
        Indicator.objects.filter(
            criterion__number="8", criterion__criteria_set=sets["ntm-xa-2021-2025"]
        ).values_list("number", flat=True)
    )
    assert numbers == {"8.1", "8.2", "8.3", "8.4"}


def test_the_smart_commune_pilot_set_has_three_pillars_sources_and_marks_what_to_confirm(
    catalogue,
):
    pilot = CriteriaSet.objects.get(code="ntm-thong-minh-thi-diem")
    assert pilot.kind == "smart_pilot" and pilot.to_confirm
    assert "3445/BNN-VPĐP" in pilot.decision
    assert any("3445" in s["url"] for s in pilot.sources)
    groups = list(dict.fromkeys(pilot.criteria.values_list("group", flat=True)))
    assert groups == ["Thể chế", "Con người", "Công nghệ"]
    assert pilot.criteria.count() == 10
    indicators = Indicator.objects.filter(criterion__criteria_set=pilot)
    assert indicators.filter(to_confirm=False).count() == 0  # none confirmed from the text
    assert indicators.get(code="NTMTM.8.1").figure_code == "procedures.online_rate"
    # reloading keeps what an official confirmed in the app
    indicators.filter(code="NTMTM.6.1").update(to_confirm=False, name="Đã sửa theo văn bản")
    load_catalogue()
    assert Indicator.objects.get(code="NTMTM.6.1").name == "Đã sửa theo văn bản"


def test_each_indicator_declares_its_source(catalogue):
    online = Indicator.objects.get(code="NTM26.9.1")
    assert (online.source, online.figure_code, online.comparator) == (
        Source.COMPUTED,
        "procedures.online_rate",
        ">=",
    )
    assert Indicator.objects.get(code="NTM21.8.3").source == Source.ENTERED
    share = Indicator.objects.get(code="CDS924.CQS.3")
    assert share.source == Source.DERIVED
    assert share.derived_from.code == "NTM21.8.4"
    assert Indicator.objects.filter(to_confirm=True).exists()


def test_loading_twice_changes_nothing(catalogue):
    counts = (Indicator.objects.count(), Threshold.objects.count(), Target.objects.count())
    call_command("load_criteria", stdout=open("/dev/null", "w"))
    assert (Indicator.objects.count(), Threshold.objects.count(), Target.objects.count()) == counts


def test_reload_keeps_a_threshold_an_official_confirmed_in_the_app(catalogue):
    t = Threshold.objects.get(indicator__code="NTM21.10", classification="tdmnpb", year_from=2025)
    assert t.to_confirm
    t.value, t.to_confirm = Decimal("46"), False
    t.save()
    report = load_catalogue()
    t.refresh_from_db()
    assert t.value == Decimal("46")
    assert report.kept_confirmed >= 1


def test_thai_nguyen_plan_overrides_the_national_threshold_as_data(province):
    load_catalogue()
    rows = Threshold.objects.filter(indicator__code="CDS924.CQS.1")
    assert {(r.province_code, r.value) for r in rows} == {("", Decimal(60)), ("19", Decimal(60))}
    target = Target.objects.get(code="thai-nguyen-xa-truc-tuyen-2025")
    assert (target.scope_unit, target.value, target.deadline.year) == (province, 60, 2025)


def test_the_2021_2025_commune_set_has_19_criteria_and_57_indicators(catalogue):
    indicators = Indicator.objects.filter(criterion__criteria_set__code="ntm-xa-2021-2025")
    assert Criterion.objects.filter(criteria_set__code="ntm-xa-2021-2025").count() == 19
    assert indicators.count() == 57
    per_criterion = {}
    for number in indicators.values_list("criterion__number", flat=True):
        per_criterion[number] = per_criterion.get(number, 0) + 1
    assert per_criterion == {
        "1": 2,
        "2": 4,
        "3": 2,
        "4": 2,
        "5": 1,
        "6": 3,
        "7": 1,
        "8": 4,
        "9": 2,
        "10": 1,
        "11": 1,
        "12": 2,
        "13": 5,
        "14": 3,
        "15": 5,
        "16": 1,
        "17": 10,
        "18": 6,
        "19": 2,
    }
    assert set(indicators.filter(criterion__number="17").values_list("number", flat=True)) == {
        f"17.{n}" for n in range(1, 11)
    }
    # added from memory of the decision, not checked against its text: to confirm
    added = indicators.get(number="17.10")
    assert (added.source, added.to_confirm) == (Source.ENTERED, True)
    assert indicators.get(number="15.5").figure_code == "society.health_record_coverage"


def _catalogue_dir(path, size: int):
    """A data dir with one set of `size` criteria of `size` indicators, each with thresholds
    for three groups, and one target per indicator."""
    criteria = [
        {
            "number": str(c),
            "name": f"Tiêu chí {c}",
            "indicators": [
                {
                    "number": f"{c}.{i}",
                    "name": f"Chỉ tiêu {c}.{i}",
                    "source": "entered",
                    "thresholds": [{"by_class": {"1": 90, "2": 80, "3": 70}}],
                    **({"derived_from": f"T.{c}.1"} if i > 1 else {}),
                }
                for i in range(1, size + 1)
            ],
        }
        for c in range(1, size + 1)
    ]
    data = {
        "code": "thu",
        "prefix": "T",
        "name": "Bộ thử",
        "decision": "QĐ 1",
        "year_from": 2026,
        "year_to": 2030,
        "scheme": "group",
        "criteria": criteria,
    }
    targets = [
        {
            "code": f"muc-tieu-{c}-{i}",
            "name": "Mục tiêu",
            "decision": "QĐ 1",
            "indicator": f"T.{c}.{i}",
            "comparator": ">=",
            "value": 90,
            "value_kind": "percent",
            "deadline": "2030-12-31",
        }
        for c in range(1, size + 1)
        for i in range(1, size + 1)
    ]
    path.mkdir()
    (path / "thu.json").write_text(json.dumps(data), encoding="utf-8")
    (path / "targets.json").write_text(json.dumps({"targets": targets}), encoding="utf-8")
    return path


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]


def test_the_number_of_queries_of_a_load_does_not_grow_with_the_rows(db, tmp_path):
    counts = []
    for size in (2, 5):  # 4 then 25 indicators, 12 then 75 thresholds, 4 then 25 targets
        data_dir = _catalogue_dir(tmp_path / str(size), size)
        with CaptureQueriesContext(connection) as first:
            report = load_catalogue(data_dir)
        assert (report.indicators, report.thresholds) == (size * size, 3 * size * size)
        assert Indicator.objects.get(code=f"T.{size}.2").derived_from.code == f"T.{size}.1"
        with CaptureQueriesContext(connection) as second:
            load_catalogue(data_dir)
        assert _writes(second.captured_queries) == []
        counts.append((len(first.captured_queries), len(second.captured_queries)))
        CriteriaSet.objects.all().delete()
        Target.objects.all().delete()
    assert counts[0] == counts[1]


def test_loading_the_catalogue_takes_a_few_queries_and_reloading_writes_nothing(province):
    # 4 sets, 43 criteria, 101 indicators, 183 thresholds, 6 targets: once a query a row.
    with CaptureQueriesContext(connection) as first:
        load_catalogue()
    assert len(first.captured_queries) <= 40
    with CaptureQueriesContext(connection) as second:
        report = load_catalogue()
    assert _writes(second.captured_queries) == []
    assert len(second.captured_queries) <= 25
    assert (report.sets, report.criteria, report.indicators, report.targets) == (4, 43, 101, 6)
    assert report.thresholds == Threshold.objects.count()


def test_without_keys_back_from_a_bulk_insert_rows_are_inserted_one_by_one(province, monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    report = load_catalogue()
    assert (report.indicators, report.warnings) == (101, [])
    assert Indicator.objects.get(code="CDS924.CQS.3").derived_from.code == "NTM21.8.4"
    assert Threshold.objects.count() == report.thresholds
    assert Target.objects.count() == report.targets == 6

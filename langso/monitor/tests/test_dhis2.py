"""DHIS2 interchange as a DHIS2 instance sees it: metadata in the `/api/metadata` import
shape with DHIS2 UIDs, dataValueSets that refer to it, DHIS2's own set-level import form,
and conflicts that name the row and the field."""

import json
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from langso.core.figures import Figure
from langso.monitor.actions import enter_indicator_value, recompute_indicators
from langso.monitor.interchange import identifiers as ids
from langso.monitor.interchange.values import format_number
from langso.monitor.models import Dhis2Identifier, Indicator, IndicatorValue

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
DEFAULTS = {
    ids.DEFAULT_CATEGORY_COMBO,
    ids.DEFAULT_CATEGORY,
    ids.DEFAULT_CATEGORY_OPTION,
    ids.DEFAULT_CATEGORY_OPTION_COMBO,
}
#: What DHIS2's schemas require of each object type we send (name lengths: 230, short
#: names 50, codes 50).
REQUIRED = {
    "organisationUnitLevels": {"id", "name", "level"},
    "organisationUnits": {"id", "name", "shortName", "openingDate", "code"},
    "categoryOptions": {"id", "name", "shortName"},
    "categories": {"id", "name", "dataDimensionType", "categoryOptions"},
    "categoryCombos": {"id", "name", "dataDimensionType", "categories"},
    "categoryOptionCombos": {"id", "name", "categoryCombo", "categoryOptions"},
    "dataElements": {
        "id",
        "name",
        "shortName",
        "code",
        "domainType",
        "valueType",
        "aggregationType",
        "categoryCombo",
    },
    "dataSets": {"id", "name", "shortName", "periodType", "categoryCombo", "dataSetElements"},
}
VALUE_TYPES = {"NUMBER", "INTEGER_ZERO_OR_POSITIVE", "BOOLEAN"}
AGGREGATION_TYPES = {"SUM", "AVERAGE", "NONE"}


@pytest.fixture
def filled(catalogue, classified, province, official, fake_providers):
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
    )
    enter_indicator_value(
        actor=official,
        unit=classified,
        year=2025,
        value=598,
        indicator=Indicator.objects.get(code="NTM21.9.1"),
    )
    enter_indicator_value(
        actor=official,
        unit=classified,
        year=2025,
        value=Decimal("58.5"),
        indicator=Indicator.objects.get(code="NTM21.10"),
    )
    recompute_indicators(units=[province], year=2025)
    return classified


def _metadata(client, user, org_unit="2025:province:19"):
    client.force_login(user)
    response = client.get(reverse("api:monitor_dhis2_metadata"), {"orgUnit": org_unit})
    assert response.status_code == 200, response.content
    return response.json()


def _values(client, org_unit="2025:province:19", **params):
    response = client.get(
        reverse("api:monitor_dhis2_export"),
        {"orgUnit": org_unit, "period": 2025, "children": "true", **params},
    )
    assert response.status_code == 200, response.content
    return response.json()["dataValues"]


def _post(client, payload):
    return client.post(
        reverse("api:monitor_dhis2_import"), json.dumps(payload), content_type="application/json"
    )


def _references(node):
    """Every {"id": ...} reference inside an object (not the object's own id)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and set(value) == {"id"}:
                yield key, value["id"]
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def test_metadata_is_a_dhis2_metadata_import_with_valid_uids_and_resolving_references(
    client, province_officer, filled
):
    package = _metadata(client, province_officer)
    assert set(package) == set(REQUIRED)
    own = {}
    for kind, required in REQUIRED.items():
        assert package[kind], kind
        for obj in package[kind]:
            assert required <= set(obj), (kind, required - set(obj))
            assert UID.match(obj["id"]), (kind, obj["id"])
            assert len(obj["name"]) <= 230 and len(obj.get("shortName", "")) <= 50
            assert len(obj.get("code", "")) <= 50
            own[obj["id"]] = kind
        for field in ("id", "code"):
            counts = Counter(o[field] for o in package[kind] if field in o)
            assert max(counts.values()) == 1, (kind, field, counts.most_common(1))
        if kind in ("dataElements", "dataSets"):  # DHIS2 keeps these names unique
            for field in ("name", "shortName"):
                assert max(Counter(o[field] for o in package[kind]).values()) == 1
    for kind in REQUIRED:
        for obj in package[kind]:
            for field, uid in _references(obj):
                assert uid in own, (kind, obj["id"], field, uid)
    for element in package["dataElements"]:
        assert element["domainType"] == "AGGREGATE"
        assert element["valueType"] in VALUE_TYPES
        assert element["aggregationType"] in AGGREGATION_TYPES
        assert element["categoryCombo"] == {"id": "bjDvmb4bfuf"}  # DHIS2's default
    assert package["categoryOptionCombos"][0]["id"] == "HllvX50cXC0"


def test_org_units_carry_codes_and_the_hierarchy_with_levels(client, province_officer, filled):
    package = _metadata(client, province_officer)
    levels = {lv["level"]: lv["name"] for lv in package["organisationUnitLevels"]}
    assert levels == {1: "Tỉnh / thành phố", 2: "Xã / phường / đặc khu"}
    units = {u["code"]: u for u in package["organisationUnits"]}
    province, commune = units["2025:province:19"], units["2025:commune:05641"]
    assert "parent" not in province and commune["parent"] == {"id": province["id"]}
    assert commune["name"] == "Xã Vô Tranh" and re.match(
        r"^\d{4}-\d{2}-\d{2}$", commune["openingDate"]
    )
    data_set = next(d for d in package["dataSets"] if d["code"] == "ntm-xa-2021-2025")
    assert data_set["periodType"] == "Yearly"
    assert {"id": commune["id"]} in data_set["organisationUnits"]
    assert {"id": province["id"]} not in data_set["organisationUnits"]  # a commune set
    # A commune official's export reaches up to the province, the parent DHIS2 needs.
    assert "2025:province:19" in {
        u["code"]
        for u in _metadata(client, province_officer, "2025:commune:05641")["organisationUnits"]
    }


def test_data_elements_say_what_kind_of_figure_they_hold(client, province_officer, filled):
    elements = {e["code"]: e for e in _metadata(client, province_officer)["dataElements"]}
    assert elements["NTM21.9.1"]["valueType"] == "INTEGER_ZERO_OR_POSITIVE"  # houses
    assert elements["NTM21.9.1"]["aggregationType"] == "SUM"
    assert elements["NTM21.10"]["valueType"] == "NUMBER"  # income per person: an average
    assert elements["NTM21.8.3"]["valueType"] == "BOOLEAN"
    rate = elements["CDS924.CQS.1"]
    assert (rate["valueType"], rate["aggregationType"]) == ("NUMBER", "NONE")
    assert elements["CDS924.CQS.1-NUM"]["aggregationType"] == "SUM"
    assert elements["CDS924.CQS.1-DEN"]["aggregationType"] == "SUM"


def test_uids_are_derived_from_codes_stored_and_stable(client, province_officer, filled):
    first = _metadata(client, province_officer)
    stored = Dhis2Identifier.objects.count()
    second = _metadata(client, province_officer)
    assert first == second and Dhis2Identifier.objects.count() == stored
    commune = next(u for u in first["organisationUnits"] if u["code"] == "2025:commune:05641")
    assert commune["id"] == ids.derive_uid(ids.ORG_UNIT, "2025:commune:05641")
    assert Dhis2Identifier.objects.get(uid=commune["id"]).key == "2025:commune:05641"


def test_a_uid_collision_gets_the_next_derivation(db):
    Dhis2Identifier.objects.create(kind="x", key="other", uid=ids.derive_uid("x", "wanted"))
    got = ids.assign_uids("x", ["wanted"])["wanted"]
    assert got == ids.derive_uid("x", "wanted", salt=1) and UID.match(got)


def test_data_values_refer_to_the_metadata_and_write_integers_as_integers(
    client, province_officer, filled
):
    package = _metadata(client, province_officer)
    elements = {e["id"]: e["code"] for e in package["dataElements"]}
    units = {u["id"]: u["code"] for u in package["organisationUnits"]}
    rows = _values(client)
    assert rows
    for row in rows:
        assert row["dataElement"] in elements and row["orgUnit"] in units
        assert row["categoryOptionCombo"] == row["attributeOptionCombo"] == "HllvX50cXC0"
        assert not row["value"].endswith(".00")
    by_code = {(elements[r["dataElement"]], units[r["orgUnit"]]): r["value"] for r in rows}
    commune = "2025:commune:05641"
    assert by_code[("NTM21.9.1", commune)] == "598"
    assert by_code[("NTM21.10", commune)] == "58.5"
    assert by_code[("NTM21.8.3", commune)] == "true"
    assert by_code[("CDS924.CQS.1", commune)] == "70"
    assert by_code[("CDS924.CQS.1-DEN", commune)] == "10"


def test_a_round_trip_by_uids_restores_every_value(client, province_officer, filled):
    _metadata(client, province_officer)
    rows = _values(client)
    before = {
        (v.unit_id, v.indicator_id, v.year): (v.numerator, v.denominator, v.value, v.status)
        for v in IndicatorValue.objects.exclude(value=None)
    }
    IndicatorValue.objects.all().delete()
    response = _post(client, {"dataValues": rows})
    assert response.status_code == 200, response.json()
    after = {
        (v.unit_id, v.indicator_id, v.year): (v.numerator, v.denominator, v.value, v.status)
        for v in IndicatorValue.objects.all()
    }
    assert after == before


def test_dhis2s_set_level_form_is_imported(client, official, filled):
    package = _metadata(client, official, "2025:commune:05641")
    commune = next(u for u in package["organisationUnits"] if u["code"] == "2025:commune:05641")
    elements = {e["code"]: e["id"] for e in package["dataElements"]}
    data_set = next(d["id"] for d in package["dataSets"] if d["code"] == "ntm-xa-2021-2025")
    payload = {  # the shape of DHIS2's own example: dataSet, period, orgUnit at the top
        "dataSet": data_set,
        "completeDate": "2026-01-15",
        "period": "2025",
        "orgUnit": commune["id"],
        "attributeOptionCombo": "HllvX50cXC0",
        "dataValues": [
            {
                "dataElement": elements["NTM21.9.1"],
                "categoryOptionCombo": "HllvX50cXC0",
                "value": "12",
                "comment": "sau rà soát",
            },
            {"dataElement": elements["NTM21.8.3"], "value": "false"},
        ],
    }
    response = _post(client, payload)
    assert response.status_code == 200, response.json()
    assert response.json()["importCount"] == {
        "imported": 0,
        "updated": 2,
        "ignored": 0,
        "deleted": 0,
    }
    houses = IndicatorValue.objects.get(indicator__code="NTM21.9.1", unit=filled, year=2025)
    assert houses.value == 12 and "2026-01-15" in houses.note
    speakers = IndicatorValue.objects.get(indicator__code="NTM21.8.3", unit=filled, year=2025)
    assert speakers.value == 0


def test_each_problem_names_the_row_and_the_field(client, official, filled):
    client.force_login(official)
    count = IndicatorValue.objects.count()
    payload = {
        "period": "2025",
        "dataValues": [
            {"dataElement": "NTM21.9.1", "value": "3"},  # no orgUnit anywhere
            {"dataElement": "NTM21.9.1", "orgUnit": "2025:commune:05641", "value": "12.5"},
            {"dataElement": "NTM21.8.3", "orgUnit": "2025:commune:05641", "value": "có"},
            {
                "dataElement": "NTM21.10",
                "orgUnit": "2025:commune:05641",
                "categoryOptionCombo": "Prlt0C1RF0s",
                "value": "60",
            },
            {"dataElement": "NTM21.10", "orgUnit": "aaaaaaaaaaa", "value": "60"},
            {"dataElement": "NTM21.13.2", "orgUnit": "2025:commune:05641", "value": "1"},
            {"dataElement": "NTM21.13.2", "orgUnit": "2025:commune:05641", "value": "2"},
        ],
    }
    response = _post(client, payload)
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR" and body["importCount"]["ignored"] == 7
    found = [(c["indexes"], c["property"], c["object"]) for c in body["conflicts"]]
    assert found == [
        ([0], "orgUnit", ""),
        ([1], "value", "12.5"),
        ([2], "value", "có"),
        ([3], "categoryOptionCombo", "Prlt0C1RF0s"),
        ([4], "orgUnit", "aaaaaaaaaaa"),
        ([6], "dataElement", "NTM21.13.2"),
    ]
    messages = [c["value"] for c in body["conflicts"]]
    assert messages[0].startswith("dataValues[0].orgUnit: thiếu orgUnit")
    assert "Đơn vị không tồn tại" not in json.dumps(body, ensure_ascii=False)
    assert "số nguyên không âm" in messages[1] and "dataValues[1].value = '12.5'" in messages[1]
    assert "true hoặc false" in messages[2]
    assert "HllvX50cXC0" in messages[3]
    assert "trùng với dataValues[5]" in messages[5]
    assert IndicatorValue.objects.count() == count


def test_top_level_problems_are_named_too(client, official, filled):
    client.force_login(official)
    response = _post(
        client,
        {
            "dataSet": "ntm-xa-2026-2030",
            "completeDate": "15/01/2026",
            "period": "2025",
            "orgUnit": "2025:commune:05641",
            "dataValues": [{"dataElement": "NTM21.9.1", "value": "1"}],
        },
    )
    conflicts = response.json()["conflicts"]
    assert [(c["property"], c["indexes"]) for c in conflicts] == [
        ("completeDate", []),
        ("dataElement", [0]),  # not an element of the 2026-2030 set
    ]
    assert "ntm-xa-2026-2030" in conflicts[1]["value"]
    assert _post(client, [1, 2]).json()["conflicts"][0]["property"] == "dataValueSet"


def test_metadata_is_refused_outside_scope_and_without_login(client, other_official, filled):
    url = reverse("api:monitor_dhis2_metadata")
    assert client.get(url, {"orgUnit": "2025:province:19"}).status_code == 401
    client.force_login(other_official)
    assert client.get(url, {"orgUnit": "2025:province:19"}).status_code == 404


@pytest.mark.parametrize(
    "number,text",
    [("598.00", "598"), ("95.50", "95.5"), ("0.00", "0"), ("1E+3", "1000"), ("0.05", "0.05")],
)
def test_numbers_are_written_without_trailing_zeros(number, text):
    assert format_number(Decimal(number)) == text

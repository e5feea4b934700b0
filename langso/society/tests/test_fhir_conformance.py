"""The FHIR export against an independent validator (.ci/npm-other/fhir-validate.js): the
npm `fhir` validator, and every invariant of the R4 4.0.1 StructureDefinitions evaluated
with the npm `fhirpath` engine, over generated health records (fixed seed)."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from conftest import make_user
from langso.core.testing.node_tools import run_node
from langso.people.models import Household, Relation, Resident, Role
from langso.society.fhir import identifier_systems, record_to_bundle
from langso.society.models import (
    Allergy,
    Condition,
    HealthConsent,
    HealthRecord,
    HealthVisit,
    Vaccination,
)

RECORDS = 40
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Cường", "Phạm Thị Thu Hà", "Đỗ Minh", "Hoàng Yến"]
CONDITIONS = [("Tăng huyết áp", "I10"), ("Đái tháo đường típ 2", "E11"), ("Hen phế quản", "")]
VACCINES = ["Viêm gan B", "Sởi - Rubella", "Uốn ván", "COVID-19"]
PURPOSES = ["Khám tại bệnh viện huyện", "Hỗ trợ bảo hiểm y tế", "Chăm sóc người cao tuổi"]


def _record(n: int, rng: random.Random, commune, hamlet, grantee) -> HealthRecord:
    household = Household.objects.create(
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        code=f"05641-9{n:04d}",
        address_line=rng.choice(["", "Xóm Khe Cốc, Xã Vô Tranh"]),
    )
    resident = Resident.objects.create(
        household=household,
        commune=commune,
        province_code="19",
        full_name=rng.choice([*NAMES, "An"]),
        sex=rng.choice(["M", "F"]),
        date_of_birth=date(1930, 1, 1) + timedelta(days=rng.randrange(30000)),
        citizen_id=rng.choice([None, f"0190{n:08d}"]),
        relation_to_head=Relation.HEAD,
    )
    record = HealthRecord.objects.create(
        resident=resident, commune=commune, blood_group=rng.choice(["", "O+", "AB-", "A+"])
    )
    for _ in range(rng.randrange(3)):
        name, icd10 = rng.choice(CONDITIONS)
        Condition.objects.create(
            record=record,
            name=name,
            icd10=icd10,
            onset=rng.choice([None, date(2015, 3, 1)]),
            status=rng.choice(["active", "resolved"]),
        )
    for _ in range(rng.randrange(3)):
        Allergy.objects.create(
            record=record, substance="Penicillin", reaction=rng.choice(["", "Phát ban"])
        )
    for _ in range(rng.randrange(3)):
        Vaccination.objects.create(
            record=record,
            vaccine=rng.choice(VACCINES),
            dose_number=rng.randrange(1, 4),
            given_on=date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
            lot_number=rng.choice(["", "LOT-1"]),
        )
    for _ in range(rng.randrange(3)):
        HealthVisit.objects.create(
            record=record,
            visited_on=date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
            reason="Khám định kỳ",
            diagnosis=rng.choice(["", "Viêm họng"]),
            icd10=rng.choice(["", "J02"]),
        )
    today = timezone.localdate()
    for _ in range(rng.randrange(3)):
        start = today + timedelta(days=rng.randrange(-400, 60))
        by_user = rng.random() < 0.5
        HealthConsent.objects.create(
            record=record,
            grantee_user=grantee if by_user else None,
            grantee_role="" if by_user else Role.COMMUNE_OFFICIAL,
            purpose=rng.choice(PURPOSES),
            valid_from=start,
            valid_to=rng.choice([None, start + timedelta(days=rng.randrange(0, 200))]),
            withdrawn_at=rng.choice([None, timezone.now() - timedelta(days=rng.randrange(90))]),
        )
    return record


@pytest.fixture
def bundles(commune, hamlet):
    rng = random.Random(5)
    grantee = make_user("bacsi.huyen", Role.HEALTH_WORKER, commune)
    return [record_to_bundle(_record(n, rng, commune, hamlet, grantee)) for n in range(RECORDS)]


def test_generated_bundles_pass_the_independent_fhir_validator_and_every_r4_invariant(bundles):
    answer = run_node("fhir-validate.js", {"resources": bundles})
    failures = [
        (n, result["errors"]) for n, result in enumerate(answer["results"]) if not result["valid"]
    ]
    assert not failures, f"{len(failures)} of {len(bundles)} bundles fail: {failures[:3]}"
    emitted = {e["resource"]["resourceType"] for b in bundles for e in b["entry"]}
    assert emitted == {
        "Patient",
        "Observation",
        "Condition",
        "AllergyIntolerance",
        "Immunization",
        "Encounter",
        "Consent",
    }
    checked = answer["constraints"]
    for resource_type in emitted | {"Bundle"}:  # each type's own invariants were evaluated
        assert any(
            key.startswith("dom-") or key.startswith("bdl") for key in checked[resource_type]
        )
    assert "ait-1" in checked["AllergyIntolerance"] and "ait-2" in checked["AllergyIntolerance"]
    assert {"ppc-1", "ppc-2"} <= set(checked["Consent"])
    assert "per-1" in checked["Period"] and "ref-1" in checked["Reference"]
    assert sum(r["checked"] for r in answer["results"]) > 5_000  # node-constraint checks


def test_generated_bundles_also_pass_the_python_r4b_models(bundles):
    for bundle in bundles:
        Bundle.model_validate(bundle)


def test_the_validator_catches_a_broken_invariant(bundles):
    """The check is not vacuous: an allergy without clinical status breaks ait-1."""
    bundle = next(
        b
        for b in bundles
        if any(e["resource"]["resourceType"] == "AllergyIntolerance" for e in b["entry"])
    )
    allergy = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "AllergyIntolerance"
    )
    del allergy["clinicalStatus"]
    result = run_node("fhir-validate.js", {"resources": [bundle]})["results"][0]
    assert not result["valid"]
    assert any(error.startswith("ait-1") for error in result["errors"])


def test_identifier_systems_are_set_per_installation(settings):
    settings.LANGSO_PUBLIC_URL = "https://xa.example.vn"
    assert identifier_systems()["resident"] == "https://xa.example.vn/fhir/sid/resident"
    assert identifier_systems()["citizen_id"] == "urn:langso:vn:cccd"
    settings.LANGSO_FHIR_IDENTIFIER_SYSTEMS = {"citizen_id": "urn:oid:2.16.704.1.1"}
    assert identifier_systems()["citizen_id"] == "urn:oid:2.16.704.1.1"

"""Export of a health record as a FHIR R4 Bundle (collection) of Patient, Observation (blood
group), Condition, AllergyIntolerance, Immunization and Encounter resources.

Identifiers: resources get urn:uuid full URLs derived from the record (uuid5), so exporting
twice gives the same ids. The citizen ID travels as Patient.identifier with the system below
(a placeholder until the national system publishes its own URI)."""

import uuid

from django.utils import timezone

from .models import HealthRecord

CITIZEN_ID_SYSTEM = "urn:langso:vn:cccd"  # placeholder, see docs/society.md
ICD10 = "http://hl7.org/fhir/sid/icd-10"
NAMESPACE = uuid.UUID("6f1d3c2e-7d8a-4b6e-9a41-2c0b7f5e8d10")


def _uid(kind: str, pk) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _code(text: str, icd10: str = "") -> dict:
    concept: dict = {"text": text}
    if icd10:
        concept["coding"] = [{"system": ICD10, "code": icd10, "display": text}]
    return concept


def record_to_bundle(record: HealthRecord) -> dict:
    resident = record.resident
    patient_id = _uid("patient", resident.pk)
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}
    family, _, given = resident.full_name.partition(" ")
    patient = {
        "resourceType": "Patient",
        "id": patient_id,
        "name": [
            {
                "use": "official",
                "text": resident.full_name,
                "family": family,
                "given": given.split() if given else [],
            }
        ],
        "gender": {"M": "male", "F": "female"}.get(resident.sex, "unknown"),
        "birthDate": resident.date_of_birth.isoformat(),
    }
    if resident.citizen_id:
        patient["identifier"] = [{"system": CITIZEN_ID_SYSTEM, "value": resident.citizen_id}]
    if resident.household.address_line:
        patient["address"] = [
            {"use": "home", "text": resident.household.address_line, "country": "VN"}
        ]
    entries = [_entry(patient)]
    if record.blood_group:
        entries.append(
            _entry(
                {
                    "resourceType": "Observation",
                    "id": _uid("blood", record.pk),
                    "status": "final",
                    "code": {
                        "coding": [
                            {
                                "system": "http://loinc.org",
                                "code": "882-1",
                                "display": "ABO and Rh group",
                            }
                        ]
                    },
                    "subject": patient_ref,
                    "valueCodeableConcept": {"text": record.blood_group},
                }
            )
        )
    for c in record.conditions.all():
        res = {
            "resourceType": "Condition",
            "id": _uid("condition", c.pk),
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": "active" if c.status == "active" else "resolved",
                    }
                ]
            },
            "code": _code(c.name, c.icd10),
            "subject": patient_ref,
        }
        if c.onset:
            res["onsetDateTime"] = c.onset.isoformat()
        entries.append(_entry(res))
    for a in record.allergies.all():
        res = {
            "resourceType": "AllergyIntolerance",
            "id": _uid("allergy", a.pk),
            "code": {"text": a.substance},
            "patient": patient_ref,
        }
        if a.reaction:
            res["reaction"] = [{"manifestation": [{"text": a.reaction}]}]
        entries.append(_entry(res))
    for v in record.vaccinations.all():
        res = {
            "resourceType": "Immunization",
            "id": _uid("immunization", v.pk),
            "status": "completed",
            "vaccineCode": {"text": v.vaccine},
            "patient": patient_ref,
            "occurrenceDateTime": v.given_on.isoformat(),
            "protocolApplied": [{"doseNumberPositiveInt": v.dose_number}],
        }
        if v.lot_number:
            res["lotNumber"] = v.lot_number
        entries.append(_entry(res))
    for e in record.visits.all():
        res = {
            "resourceType": "Encounter",
            "id": _uid("encounter", e.pk),
            "status": "finished",
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "AMB",
                "display": "ambulatory",
            },
            "subject": patient_ref,
            "period": {"start": e.visited_on.isoformat()},
            "reasonCode": [_code(e.reason)],
        }
        if e.diagnosis:
            res["reasonCode"].append(_code(e.diagnosis, e.icd10))
        entries.append(_entry(res))
    return {
        "resourceType": "Bundle",
        "id": _uid("bundle", f"{record.pk}"),
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": entries,
    }

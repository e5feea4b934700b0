"""Export of a health record as a FHIR R4 (4.0.1) Bundle (collection) of Patient,
Observation (blood group), Condition, AllergyIntolerance, Immunization, Encounter and
Consent resources.

Resources get urn:uuid full URLs derived from the record's rows (uuid5), so exporting twice
gives the same ids. Every resource satisfies the invariants of its R4 StructureDefinition
(checked in CI by an independent validator: tests/test_fhir_conformance.py).

Consent: one resource per consent record of the resident (`HealthConsent`), active while
in force, inactive once withdrawn or expired, so a receiver sees on what basis the record
may be shared: who may read it (provision.actor), for what purpose, from when to when,
under which rule (policyRule OPTIN, the resident's own consent under Law 91/2025/QH15).

Identifier systems are set per installation in LANGSO_FHIR_IDENTIFIER_SYSTEMS (a dict
merged over the defaults of `identifier_systems()`): the citizen ID keeps the placeholder
`urn:langso:vn:cccd` until the national system publishes its URI; the others default to
URLs under the installation's LANGSO_PUBLIC_URL.
"""

import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from langso.people.models import Role

from .models import HealthRecord

CITIZEN_ID_SYSTEM = "urn:langso:vn:cccd"  # placeholder, see docs/society.md
ICD10 = "http://hl7.org/fhir/sid/icd-10"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
NAMESPACE = uuid.UUID("6f1d3c2e-7d8a-4b6e-9a41-2c0b7f5e8d10")


def identifier_systems() -> dict[str, str]:
    """The identifier systems of this installation: defaults, then the setting."""
    base = settings.LANGSO_PUBLIC_URL.rstrip("/") + "/fhir/sid"
    systems = {
        "citizen_id": CITIZEN_ID_SYSTEM,
        "resident": f"{base}/resident",
        "health_export": f"{base}/health-export",
        "health_consent": f"{base}/health-consent",
    }
    systems.update(getattr(settings, "LANGSO_FHIR_IDENTIFIER_SYSTEMS", None) or {})
    return systems


def _uid(kind: str, pk) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _coding(system: str, code: str, display: str = "") -> dict:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _code(text: str, icd10: str = "") -> dict:
    concept: dict = {"text": text}
    if icd10:
        concept["coding"] = [_coding(ICD10, icd10, text)]
    return concept


def _patient(resident, patient_id: str, systems: dict) -> dict:
    family, _, given = resident.full_name.partition(" ")
    name = {"use": "official", "text": resident.full_name, "family": family}
    if given:
        name["given"] = given.split()
    identifiers = [{"use": "secondary", "system": systems["resident"], "value": patient_id}]
    if resident.citizen_id:
        identifiers.insert(
            0, {"use": "official", "system": systems["citizen_id"], "value": resident.citizen_id}
        )
    patient = {
        "resourceType": "Patient",
        "id": patient_id,
        "identifier": identifiers,
        "name": [name],
        "gender": {"M": "male", "F": "female"}.get(resident.sex, "unknown"),
        "birthDate": resident.date_of_birth.isoformat(),
    }
    if resident.household.address_line:
        patient["address"] = [
            {"use": "home", "text": resident.household.address_line, "country": "VN"}
        ]
    return patient


def _grantee(consent) -> dict:
    """Who may read: a contained Practitioner (a named user) or PractitionerRole (holders of
    a role on the resident's commune); they are not resources of their own here."""
    if consent.grantee_user_id:
        user = consent.grantee_user
        name = f"{user.last_name} {user.first_name}".strip() or user.get_username()
        return {"resourceType": "Practitioner", "id": "grantee", "name": [{"text": name}]}
    role = Role(consent.grantee_role).label if consent.grantee_role in Role.values else ""
    return {
        "resourceType": "PractitionerRole",
        "id": "grantee",
        "active": True,
        "code": [{"text": f"{role or consent.grantee_role}, {consent.record.commune.name}"}],
    }


def _consent(consent, patient_ref: dict, systems: dict, today) -> dict:
    end = consent.valid_to
    if consent.withdrawn_at is not None:
        withdrawn = timezone.localdate(consent.withdrawn_at)
        end = min(end, withdrawn) if end else withdrawn
    if end is not None:
        end = max(end, consent.valid_from)  # withdrawn before it started: an empty period
    in_force = consent.withdrawn_at is None and (
        consent.valid_to is None or consent.valid_to >= today
    )
    consent_id = _uid("consent", consent.pk)
    period = {"start": consent.valid_from.isoformat()}
    if end is not None:
        period["end"] = end.isoformat()
    return {
        "resourceType": "Consent",
        "id": consent_id,
        "contained": [_grantee(consent)],
        "identifier": [{"system": systems["health_consent"], "value": consent_id}],
        "status": "active" if in_force else "inactive",
        "scope": {
            "coding": [_coding(f"{TERMINOLOGY}/consentscope", "patient-privacy", "Privacy Consent")]
        },
        "category": [{"coding": [_coding("http://loinc.org", "59284-0", "Patient Consent")]}],
        "patient": patient_ref,
        "dateTime": consent.created_at.isoformat(timespec="seconds"),
        "performer": [patient_ref],
        "policyRule": {
            "coding": [_coding(f"{TERMINOLOGY}/v3-ActCode", "OPTIN", "opt-in")],
            "text": "Đồng ý của chủ thể dữ liệu (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15)",
        },
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": {
                        "coding": [
                            _coding(
                                f"{TERMINOLOGY}/v3-ParticipationType",
                                "IRCP",
                                "information recipient",
                            )
                        ]
                    },
                    "reference": {"reference": "#grantee"},
                }
            ],
            "action": [{"coding": [_coding(f"{TERMINOLOGY}/consentaction", "access", "Access")]}],
            "purpose": [{"display": consent.purpose}],
        },
    }


def record_to_bundle(record: HealthRecord) -> dict:
    systems = identifier_systems()
    resident = record.resident
    patient_id = _uid("patient", resident.pk)
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}
    entries = [_entry(_patient(resident, patient_id, systems))]
    if record.blood_group:
        entries.append(
            _entry(
                {
                    "resourceType": "Observation",
                    "id": _uid("blood", record.pk),
                    "status": "final",
                    "code": {"coding": [_coding("http://loinc.org", "882-1", "ABO and Rh group")]},
                    "subject": patient_ref,
                    "valueCodeableConcept": {"text": record.blood_group},
                }
            )
        )
    for c in record.conditions.all():
        res: dict[str, Any] = {
            "resourceType": "Condition",
            "id": _uid("condition", c.pk),
            "clinicalStatus": {
                "coding": [
                    _coding(
                        f"{TERMINOLOGY}/condition-clinical",
                        "active" if c.status == "active" else "resolved",
                    )
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
            # ait-1: a clinical status unless the entry was entered in error; the record
            # keeps allergies the health station considers current.
            "clinicalStatus": {
                "coding": [_coding(f"{TERMINOLOGY}/allergyintolerance-clinical", "active")]
            },
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
            "class": _coding(f"{TERMINOLOGY}/v3-ActCode", "AMB", "ambulatory"),
            "subject": patient_ref,
            "period": {"start": e.visited_on.isoformat()},
            "reasonCode": [_code(e.reason)],
        }
        if e.diagnosis:
            res["reasonCode"].append(_code(e.diagnosis, e.icd10))
        entries.append(_entry(res))
    today = timezone.localdate()
    for consent in record.consents.select_related("grantee_user", "record__commune"):
        entries.append(_entry(_consent(consent, patient_ref, systems, today)))
    bundle_id = _uid("bundle", f"{record.pk}")
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "identifier": {"system": systems["health_export"], "value": bundle_id},
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": entries,
    }

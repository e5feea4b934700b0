from datetime import date

from ninja import Schema


class UnitRef(Schema):
    key: str
    code: str
    name: str


class UnitOut(Schema):
    key: str
    structure: str
    level: str
    code: str
    name: str
    full_name: str
    short_name: str
    unit_type: str
    province_code: str
    parent: UnitRef | None
    latitude: float | None
    longitude: float | None
    valid_from: date | None
    valid_to: date | None


class SuccessionOut(Schema):
    unit: UnitOut
    is_primary: bool
    effective_date: date


class HamletOut(Schema):
    code: str
    name: str
    kind: str
    latitude: float | None
    longitude: float | None

from datetime import date

from ninja import Schema

from langso.core.schemas import ErrorCode, InputSchema


class HouseholdOut(Schema):
    id: int
    code: str
    commune_code: str
    commune_name: str
    hamlet: str | None
    address_line: str
    head_name: str | None
    member_count: int
    latitude: float | None
    longitude: float | None


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdOut]


class ResidentOut(Schema):
    id: int
    household_id: int
    household_code: str
    full_name: str
    sex: str
    date_of_birth: date
    relation_to_head: str
    phone: str
    citizen_id_masked: str
    citizen_id: str | None = None  # only from the reveal endpoint


class HouseholdDetail(HouseholdOut):
    members: list[ResidentOut]


class RevealIn(InputSchema):
    purpose: str


class ImportErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportReportOut(Schema):
    rows: int
    households: int
    residents: int
    skipped_rows: int
    error_count: int
    written: bool
    errors: list[ImportErrorOut]


class ImportRejectedOut(Schema):
    code: ErrorCode
    detail: str
    report: ImportReportOut

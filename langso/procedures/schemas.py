"""API shapes of the procedures app."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from langso.core import limits
from langso.core.schemas import InputSchema


class ProcedureOut(Schema):
    id: int
    commune_code: str
    code: str
    name: str
    field: str
    field_label: str
    required_documents: list[str]
    fee: int
    fee_note: str
    processing_time: int
    time_unit: str
    online_level: str
    online_level_label: str
    legal_basis: str
    is_active: bool


class ProcedureIn(InputSchema):
    code: str
    name: str
    field: str
    required_documents: list[str] = []
    fee: int = 0
    fee_note: str = ""
    processing_time: int
    time_unit: str = "days"
    online_level: str = "full"
    legal_basis: str = ""
    is_active: bool = True


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    comment: str


class FileOut(Schema):
    public_id: UUID
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    url: str


class DossierOut(Schema):
    public_id: UUID
    receipt_code: str
    procedure_code: str
    procedure_name: str
    commune_code: str
    channel: int
    state: str
    state_label: str
    portal_status: int
    applicant_name: str
    submitted_at: datetime
    receipt_due_at: datetime | None
    due_at: datetime
    extended_due_at: datetime | None
    settled_at: datetime | None
    timeliness: str
    version: int
    flag: str = ""
    rated: bool = False


class DossierDetailOut(DossierOut):
    applicant_phone: str
    applicant_address: str
    description: str
    outcome_reason: str
    result_document_id: UUID | None
    events: list[EventOut]
    files: list[FileOut]


class SubmittedOut(DossierOut):
    tracking_secret: str


class TrackIn(InputSchema):
    receipt_code: str
    secret: str


class TrackOut(Schema):
    receipt_code: str
    procedure_name: str
    state: str
    state_label: str
    portal_status: int
    submitted_at: datetime
    appointment_at: datetime
    settled_at: datetime | None
    timeliness: str
    rated: bool
    events: list[EventOut]


class TransitionIn(InputSchema):
    to_state: str
    version: int
    comment: str = Field("", max_length=limits.NOTE)


class ApologyIn(InputSchema):
    version: int
    new_date: date
    reason: str = Field(..., max_length=limits.NOTE)


class ApologyOut(Schema):
    previous_due_at: datetime
    new_due_at: datetime
    reason: str


class RatingIn(InputSchema):
    level: str
    comment: str = Field("", max_length=limits.NOTE)
    channel: str = "online"
    tracking_secret: str = ""


class RatingOut(Schema):
    level: str
    channel: str
    rated_at: datetime


class FigureOut(Schema):
    code: str
    label: str
    kind: str
    description: str
    numerator: float
    denominator: float | None
    value: float | None


class HolidayOut(Schema):
    date: date
    name: str
    kind: str

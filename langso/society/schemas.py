from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from langso.core.schemas import ErrorCode, InputSchema


class LayerOut(Schema):
    slug: str
    name: str
    color: str
    visibility: str
    source: str
    shown_by_default: bool
    url: str


class AddressOut(Schema):
    code: str
    olc: str
    latitude: float
    longitude: float
    commune: str
    hamlet: str
    head_of_household: str | None = None
    resolved_from: str | None = None
    directions_url: str


class ReadingIn(InputSchema):
    id: str = Field(
        "",
        max_length=64,
        description="Sensor's own id of the reading; a retry with the same id is recognised.",
    )
    parameter: str
    observed_at: datetime
    value: float


class ReadingsIn(InputSchema):
    readings: list[ReadingIn] = Field(..., max_length=500)


class ReadingResult(Schema):
    id: str
    parameter: str
    observed_at: datetime
    status: str  # created | duplicate | error
    code: str | None = None
    within_limits: bool | None = None


class ReadingsOut(Schema):
    station: str
    created: int
    duplicates: int
    results: list[ReadingResult]


class HelpSessionIn(InputSchema):
    id: UUID
    team: int = Field(..., ge=1, le=2**63 - 1)
    topic: str
    occurred_at: datetime
    household_code: str = ""
    people_helped: int = Field(1, ge=0, le=32767)
    notes: str = Field("", max_length=300)


class HelpSessionsIn(InputSchema):
    sessions: list[HelpSessionIn] = Field(..., max_length=200)


class HelpSessionResult(Schema):
    id: UUID
    status: str  # created | duplicate | error
    code: ErrorCode | None = None  # when status is "error"
    detail: str | None = None


class HelpSessionsOut(Schema):
    results: list[HelpSessionResult]

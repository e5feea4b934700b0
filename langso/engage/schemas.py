from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from langso.core import limits
from langso.core.schemas import InputSchema


class DirectoryEntryOut(Schema):
    name: str
    unit: str
    unit_code: str
    position: str
    department: str
    phone: str
    email: str
    working_hours: str


class AttachmentOut(Schema):
    name: str
    url: str
    content_type: str
    size: int


class AnnouncementOut(Schema):
    id: UUID
    title: str
    body: str
    commune_code: str
    audience: str
    audience_label: str
    published_at: datetime | None
    attachments: list[AttachmentOut]


class AnnouncementIn(InputSchema):
    title: str
    body: str = Field(..., max_length=limits.BODY)
    audience: str = "commune"
    hamlet_code: str | None = None
    group: str = ""


class DeliveryOut(Schema):
    resident: str
    channel: str
    address: str
    state: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    simulated: bool  # taken by a fake gateway: nobody received it


class SubscriptionIn(InputSchema):
    by_email: bool = False
    by_sms: bool = False
    by_zalo: bool = False
    email: str = ""
    phone: str = ""


class SubscriptionOut(Schema):
    by_email: bool
    by_sms: bool
    by_zalo: bool
    email: str
    phone: str
    active: bool


class QuestionOut(Schema):
    name: str
    label: str
    qtype: str
    required: bool
    relevant: str
    constraint: str
    choices: list[dict]
    #: XLSForm columns a client needs to run the form as the web page does; a repeat's
    #: questions name it in `repeat`, and its answers go as a list of objects
    calculation: str = ""
    choice_filter: str = ""
    default: str = ""
    read_only: bool = False
    required_if: str = ""
    repeat: str = ""
    repeat_count: str = ""


class SurveyOut(Schema):
    id: UUID
    title: str
    description: str
    status: str
    anonymous: bool
    one_response_per_resident: bool
    closes_on: date | None
    questions: list[QuestionOut] = []

    @staticmethod
    def resolve_id(obj):
        return obj.public_id


class ResponseIn(InputSchema):
    answers: dict


class ResponseOut(Schema):
    id: UUID
    submitted_on: date


class ChoiceResult(Schema):
    name: str
    label: str
    count: int
    share: float


class QuestionResult(Schema):
    name: str
    label: str
    answered: int
    choices: list[ChoiceResult] | None = None
    stats: dict | None = None


class SurveyResultsOut(Schema):
    id: UUID
    title: str
    total: int
    questions: list[QuestionResult]


class FeedbackIn(InputSchema):
    commune_code: str
    category: str
    text: str = Field(..., max_length=limits.FEEDBACK)
    latitude: float | None = None
    longitude: float | None = None
    hamlet_code: str | None = None
    contact_name: str = ""
    contact_phone: str = ""
    publish_consent: bool = False


class FeedbackCreatedOut(Schema):
    tracking_code: str
    secret: str
    deadline: date


class FeedbackOut(Schema):
    tracking_code: str
    category: str
    status: str
    received_on: date
    deadline: date
    overdue: bool
    text: str
    answer: str
    rating: int | None


class PublicFeedbackOut(Schema):
    tracking_code: str
    category: str
    status: str
    received_on: date
    deadline: date  # the answer is due by this day
    public_text: str
    hamlet: str
    latitude: float | None
    longitude: float | None
    answer: str
    answered_on: date | None


class FeedbackRatingIn(InputSchema):
    secret: str = ""
    rating: int
    comment: str = Field("", max_length=limits.NOTE)

"""Engagement models: officials' directory, announcements and their delivery, surveys,
residents' feedback."""

from .announcements import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementStatus,
    Audience,
    AudienceGroup,
    Channel,
    Delivery,
    DeliveryState,
    Subscription,
)
from .directory import DirectoryEntry
from .feedback import Feedback, FeedbackCategory, FeedbackPhoto, FeedbackStatus
from .surveys import (
    Participation,
    Question,
    QuestionType,
    Survey,
    SurveyAttachment,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
)

__all__ = [
    "Announcement",
    "AnnouncementAttachment",
    "AnnouncementStatus",
    "Audience",
    "AudienceGroup",
    "Channel",
    "Delivery",
    "DeliveryState",
    "DirectoryEntry",
    "Feedback",
    "FeedbackCategory",
    "FeedbackPhoto",
    "FeedbackStatus",
    "Participation",
    "Question",
    "QuestionType",
    "Subscription",
    "Survey",
    "SurveyAttachment",
    "SurveyKind",
    "SurveyResponse",
    "SurveyStatus",
]

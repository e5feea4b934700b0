"""Engagement errors, each with a stable code for the API."""

from langso.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)


class NotAllowed(PermissionDenied):
    code = "engage_not_allowed"


class AnnouncementNotFound(NotFound):
    code = "announcement_not_found"


class InvalidUpload(ValidationFailed):
    code = "invalid_upload"


class InvalidXLSForm(ValidationFailed):
    """The form was refused; `errors` lists (sheet, row, reason)."""

    code = "invalid_xlsform"


class InvalidAnswers(ValidationFailed):
    """The answers break the survey's rules; `errors` maps question name -> message."""

    code = "invalid_answers"


class SurveyClosed(Conflict):
    code = "survey_closed"


class AlreadyAnswered(Conflict):
    code = "survey_already_answered"


class SurveyNotFound(NotFound):
    code = "survey_not_found"


class FeedbackNotFound(NotFound):
    code = "feedback_not_found"


class FeedbackStateError(Conflict):
    code = "feedback_wrong_state"


class InvalidExpression(DomainError):
    code = "invalid_expression"
    http_status = 422

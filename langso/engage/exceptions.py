"""Engagement errors, each with a stable code for the API."""

from langso.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)


class NotAllowed(PermissionDenied):
    code = "engage.not_allowed"


class AnnouncementNotFound(NotFound):
    code = "engage.announcement_not_found"


class InvalidUpload(ValidationFailed):
    code = "engage.invalid_upload"


class InvalidXLSForm(ValidationFailed):
    """The form was refused; `errors` lists (sheet, row, reason)."""

    code = "engage.invalid_xlsform"


class InvalidAnswers(ValidationFailed):
    """The answers break the survey's rules; `errors` maps question name -> message."""

    code = "engage.invalid_answers"


class SurveyClosed(Conflict):
    code = "engage.survey_closed"


class AlreadyAnswered(Conflict):
    code = "engage.survey_already_answered"


class SurveyNotFound(NotFound):
    code = "engage.survey_not_found"


class FeedbackNotFound(NotFound):
    code = "engage.feedback_not_found"


class FeedbackStateError(Conflict):
    code = "engage.feedback_wrong_state"


class InvalidExpression(DomainError):
    code = "engage.invalid_expression"
    http_status = 422

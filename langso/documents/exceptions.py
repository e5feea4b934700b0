"""Errors of the documents app, each with a stable code and a Vietnamese message."""

from django.utils.translation import gettext as _

from langso.core.exceptions import DomainError, PermissionDenied, ValidationFailed


class NotAPdf(ValidationFailed):
    code = "documents.not_a_pdf"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Tệp không phải là tệp PDF."))


class FileTooLarge(ValidationFailed):
    code = "documents.file_too_large"


class AlreadySigned(DomainError):
    code = "documents.already_signed"
    http_status = 409


class SigningUnavailable(DomainError):
    """No certificate (or signer) is configured for the commune, or it cannot be used."""

    code = "documents.signing_unavailable"
    http_status = 503


class NotAllowedToIssue(PermissionDenied):
    code = "documents.not_allowed_to_issue"

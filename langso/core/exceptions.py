"""Errors that actions raise. Each has a stable code (for the API) and a Vietnamese message."""

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the operation; nothing was changed."""

    code = "core.domain_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details

    def __str__(self) -> str:
        return self.message


class PermissionDenied(DomainError):
    code = "core.permission_denied"
    http_status = 403


class NotFound(DomainError):
    code = "core.not_found"
    http_status = 404


class ValidationFailed(DomainError):
    code = "core.validation_failed"
    http_status = 422


class Conflict(DomainError):
    """Someone else changed the object first (optimistic locking) or it already exists."""

    code = "core.conflict"
    http_status = 409

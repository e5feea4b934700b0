"""Errors of the procedures app: a stable code for the API and a Vietnamese message."""

from django.utils.translation import gettext as _

from langso.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class DossierChanged(Conflict):
    """Optimistic lock: someone acted on the dossier after the caller loaded it."""

    code = "dossier_changed"

    def __init__(self, message: str = "", **kw) -> None:
        super().__init__(
            message
            or _(
                "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới "
                "trước khi thao tác."
            ),
            **kw,
        )


class CommentRequired(ValidationFailed):
    code = "comment_required"


class AttachmentTooLarge(ValidationFailed):
    code = "attachment_too_large"


class AttachmentTypeNotAllowed(ValidationFailed):
    code = "attachment_type_not_allowed"


class AttachmentRequired(ValidationFailed):
    code = "attachment_required"


class TooManyAttachments(ValidationFailed):
    code = "too_many_attachments"


class ProcedureNotOnline(ValidationFailed):
    code = "procedure_not_online"


class ResultRequired(ValidationFailed):
    code = "result_required"


class AlreadyRated(Conflict):
    code = "already_rated"


class NotRateable(Conflict):
    code = "not_rateable"


class InvalidApologyDate(ValidationFailed):
    code = "invalid_apology_date"


class DossierNotFound(NotFound):
    code = "dossier_not_found"


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"


class NotAuthenticated(PermissionDenied):
    code = "not_authenticated"
    http_status = 401

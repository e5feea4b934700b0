"""Errors of the procedures app: a stable code for the API and a Vietnamese message."""

from django.utils.translation import gettext as _

from langso.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed


class TransitionNotAllowed(Conflict):
    code = "procedures.transition_not_allowed"


class DossierChanged(Conflict):
    """Optimistic lock: someone acted on the dossier after the caller loaded it."""

    code = "procedures.dossier_changed"

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
    code = "procedures.comment_required"


class AttachmentTooLarge(ValidationFailed):
    code = "procedures.attachment_too_large"


class AttachmentTypeNotAllowed(ValidationFailed):
    code = "procedures.attachment_type_not_allowed"


class AttachmentRequired(ValidationFailed):
    code = "procedures.attachment_required"


class TooManyAttachments(ValidationFailed):
    code = "procedures.too_many_attachments"


class ProcedureNotOnline(ValidationFailed):
    code = "procedures.procedure_not_online"


class ResultRequired(ValidationFailed):
    code = "procedures.result_required"


class AlreadyRated(Conflict):
    code = "procedures.already_rated"


class NotRateable(Conflict):
    code = "procedures.not_rateable"


class InvalidApologyDate(ValidationFailed):
    code = "procedures.invalid_apology_date"


class DossierNotFound(NotFound):
    code = "procedures.dossier_not_found"


class ProcedureNotFound(NotFound):
    code = "procedures.procedure_not_found"


class NotAuthenticated(PermissionDenied):
    code = "procedures.not_authenticated"
    http_status = 401

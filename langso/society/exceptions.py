from django.utils.translation import gettext_lazy as _

from langso.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed


class AddressNotFound(NotFound):
    code = "society.address_not_found"


class AddressCodeInvalid(ValidationFailed):
    code = "society.address_code_invalid"


class NoPoint(ValidationFailed):
    code = "society.address_no_point"


class GridFull(Conflict):
    code = "society.address_grid_full"


class HealthAccessDenied(PermissionDenied):
    code = "society.health_access_denied"


class PurposeNotCovered(PermissionDenied):
    """The reader may open the record, but not for the purpose asked."""

    code = "society.purpose_not_covered"


class ConsentInvalid(ValidationFailed):
    code = "society.consent_invalid"


class StationTokenInvalid(PermissionDenied):
    code = "society.station_token_invalid"


class UnknownParameter(ValidationFailed):
    code = "society.unknown_parameter"


class NotTeamMember(PermissionDenied):
    code = "society.not_team_member"


class NotAllowed(PermissionDenied):
    code = "society.not_allowed"


MESSAGES = {
    "not_allowed": _("Bạn không có quyền thực hiện thao tác này."),
}


class TrainingInvalid(ValidationFailed):
    code = "society.training_invalid"


class AttendanceSheetInvalid(ValidationFailed):
    """The attendance sheet has errors and nothing was written; `errors` lists them per row
    as (row number, Vietnamese message)."""

    code = "society.attendance_sheet_invalid"

    def __init__(self, message: str, *, errors: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.errors = errors

"""Economy errors with stable codes."""

from langso.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed


class NotProducerManager(PermissionDenied):
    code = "economy.not_producer_manager"


class NotEvaluator(PermissionDenied):
    code = "economy.not_ocop_evaluator"


class InvalidGtin(ValidationFailed):
    code = "economy.invalid_gtin"


class InvalidImage(ValidationFailed):
    code = "economy.invalid_image"


class InvalidScores(ValidationFailed):
    code = "economy.invalid_scores"


class InvalidBankAccount(ValidationFailed):
    code = "economy.invalid_bank_account"


class InvalidPayment(ValidationFailed):
    code = "economy.invalid_payment"


class InvalidGeometry(ValidationFailed):
    code = "economy.invalid_geometry"


class DossierState(Conflict):
    code = "economy.dossier_state"


class NoBankAccount(NotFound):
    code = "economy.no_bank_account"


class DemandClosed(Conflict):
    code = "economy.demand_closed"

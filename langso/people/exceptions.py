"""Errors raised by people actions, each with a stable code."""

from langso.core.exceptions import ValidationFailed


class ImportRejected(ValidationFailed):
    """The population file has errors and nothing was written; `report` lists them."""

    code = "people.import_rejected"

    def __init__(self, message: str, *, report) -> None:
        super().__init__(message)
        self.report = report

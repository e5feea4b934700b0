"""The base of every API input schema, and the one shape of an error answer."""

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from . import limits


class InputSchema(Schema):
    """No string of an API body is longer than limits.API_STRING; a field with its own,
    tighter limit says so with `Field(max_length=...)`. Past either, the API answers 422
    with the code `<app>.text_too_long` (config/api.py)."""

    model_config = ConfigDict(str_max_length=limits.API_STRING)


# Every error code is `<app>.<reason>` (docs/adr/0012-error-codes.md). The pattern is told to
# clients in the OpenAPI (and checked there by the schema-fuzz test), not enforced on the way
# out: a misnamed code must not turn a refusal into a 500. langso/core/tests/test_error_codes.py
# holds every code to the list of apps.
ERROR_CODE_PATTERN = r"^[a-z]+\.[a-z0-9_]+$"
ERROR_CODE_DESCRIPTION = (
    "Stable, `<app>.<reason>`: the app that refused (core, people, places, procedures, "
    "documents, economy, trace, society, engage, monitor, site) and a snake_case reason, "
    "e.g. `procedures.dossier_not_found`."
)
ErrorCode = Annotated[
    str,
    Field(description=ERROR_CODE_DESCRIPTION, json_schema_extra={"pattern": ERROR_CODE_PATTERN}),
]


class ErrorOut(Schema):
    """The body of every error answer: a stable code and a Vietnamese message."""

    code: ErrorCode
    detail: str

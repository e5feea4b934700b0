"""The base of every API input schema."""

from ninja import Schema
from pydantic import ConfigDict

from . import limits


class InputSchema(Schema):
    """No string of an API body is longer than limits.API_STRING; a field with its own,
    tighter limit says so with `Field(max_length=...)`. Past either, the API answers 422
    with the code `<app>.text_too_long` (config/api.py)."""

    model_config = ConfigDict(str_max_length=limits.API_STRING)

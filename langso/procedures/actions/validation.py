"""Model validation refused with the procedures' stable codes (one implementation:
langso/core/validation.py)."""

from langso.core.validation import validate


def clean_or_fail(
    obj, *, code: str, exclude: list[str] | None = None, validate_unique: bool = True
) -> None:
    validate(obj, exclude=exclude, code=code, validate_unique=validate_unique)

"""The one way an action checks a model before writing it: `validate(obj)`.

It runs the model's `full_clean()` and turns a refusal into a `ValidationFailed` of one
shape, for pages and the API alike:

- `message`: each problem in words, the field named as the form names it ("Số điện thoại:
  Nhập số điện thoại hợp lệ."), problems of the whole object without a name, joined by "; ";
- `code`: `<app>.text_too_long` when every problem is a text over its limit
  (langso/core/limits.py), else `<app>.invalid`, `<app>` being the model's app;
- `details["fields"]`: {field name: [messages]} so that a form can show each message beside
  its field.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from .exceptions import ValidationFailed


def validate(
    obj: models.Model,
    *,
    exclude: list[str] | None = None,
    code: str | None = None,
    validate_unique: bool = True,
) -> None:
    """`obj.full_clean()`, refused as the module docstring says; `code` names the refusal
    instead of `<app>.invalid` (a text over its limit keeps `<app>.text_too_long`)."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=validate_unique)
    except ValidationError as exc:
        raise refusal(obj, exc, code=code) from exc


def refusal(
    obj: models.Model, exc: ValidationError, *, code: str | None = None
) -> ValidationFailed:
    """The ValidationFailed that says what `exc` found wrong with `obj`."""
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        codes = {error.code for errors in exc.error_dict.values() for error in errors}
    else:
        fields = {"__all__": [str(m) for m in exc.messages]}
        codes = {error.code for error in exc.error_list}
    parts = []
    for name, messages in fields.items():
        text = " ".join(messages)
        label = _label(obj, name)
        parts.append(f"{label}: {text}" if label else text)
    app = obj._meta.app_label
    if codes == {"max_length"}:
        code = f"{app}.text_too_long"
    return ValidationFailed("; ".join(parts), code=code or f"{app}.invalid", fields=fields)


def _label(obj: models.Model, name: str) -> str:
    if name in ("__all__", ""):
        return ""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:  # a name a model's clean() reports that is not a field
        return name
    label = str(getattr(field, "verbose_name", name))
    return label[:1].upper() + label[1:]

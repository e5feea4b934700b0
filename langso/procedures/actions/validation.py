"""Model validation errors turned into the domain's ValidationFailed (stable code, message)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from langso.core.exceptions import ValidationFailed


def clean_or_fail(obj, *, code: str, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        messages = []
        for field, errors in exc.message_dict.items():
            label = str(obj._meta.get_field(field).verbose_name) if field != "__all__" else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        raise ValidationFailed(
            " ".join(messages) or _("Dữ liệu không hợp lệ."),
            code=code,
            fields=sorted(exc.message_dict),
        ) from exc

"""`{% submission_token %}`: the one-time token that makes a form's create run once (see
`langso/core/idempotency.py`)."""

from django import template
from django.utils.html import format_html

from langso.core.idempotency import SUBMISSION_FIELD, new_submission_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, new_submission_token()
    )

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from langso.core import formats

from ..models import State

register = template.Library()

_STATE_CLASS = {
    State.COMPLETED: "ok",
    State.RETURNED: "ok",
    State.SUPPLEMENT_REQUESTED: "warn",
    State.REJECTED: "err",
    State.NOT_RECEIVED: "err",
    State.SUBMITTED: "warn",
}


@register.simple_tag
def state_badge(dossier):
    return format_html(
        '<span class="badge {}">{}</span>',
        _STATE_CLASS.get(dossier.state, ""),
        dossier.get_state_display(),
    )


@register.simple_tag
def flag_badge(flag):
    labels = {
        "overdue": ("err", _("Quá hạn")),
        "due_soon": ("warn", _("Sắp đến hạn")),
        "receipt_late": ("err", _("Quá 8 giờ chưa tiếp nhận")),
        "paused": ("", _("Chờ bổ sung (dừng tính giờ)")),
    }
    if flag not in labels:
        return ""
    css, label = labels[flag]
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.filter
def vnd(value):
    return formats.money(value or 0)

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from langso.core import formats

from ..models import Channel, State

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
    # State(...).label, not get_state_display(): that one translates every choice on each
    # call, which was a sixth of the desk's 50-row page
    return format_html(
        '<span class="badge {}">{}</span>',
        _STATE_CLASS.get(dossier.state, ""),
        State(dossier.state).label if dossier.state in State.values else dossier.state,
    )


@register.simple_tag
def channel_label(dossier):
    return Channel(dossier.channel).label if dossier.channel in Channel.values else ""


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

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngageConfig(AppConfig):
    name = "langso.engage"
    label = "engage"
    verbose_name = _("Tương tác người dân")

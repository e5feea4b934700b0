from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocietyConfig(AppConfig):
    name = "langso.society"
    label = "society"
    verbose_name = _("Xã hội số")

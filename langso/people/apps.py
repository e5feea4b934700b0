from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "langso.people"
    label = "people"
    verbose_name = _("Dân cư và người dùng")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "langso.people"
    label = "people"
    verbose_name = _("Dân cư và người dùng")

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (the sign-in receiver that starts session limits)

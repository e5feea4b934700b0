from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from . import checks, sessions  # noqa: F401  (deploy checks, the sign-in receiver)

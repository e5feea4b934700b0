from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        # deploy checks, and the sign-in receivers of per-account lockout (session limits: people)
        from . import checks, lockout  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        # deploy checks, and the sign-in receivers (session limits, per-account lockout)
        from . import checks, lockout, sessions  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "langso.procedures"
    label = "procedures"
    verbose_name = _("Dịch vụ công")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Holiday
        from .working_time import forget_calendar

        post_save.connect(forget_calendar, sender=Holiday, dispatch_uid="holiday-saved")
        post_delete.connect(forget_calendar, sender=Holiday, dispatch_uid="holiday-deleted")

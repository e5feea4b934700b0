from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "langso.procedures"
    label = "procedures"
    verbose_name = _("Dịch vụ công")

    def ready(self) -> None:
        from datetime import timedelta

        from django.db.models.signals import post_delete, post_save

        from langso.core import schedule

        from .models import Holiday
        from .working_time import forget_calendar

        post_save.connect(forget_calendar, sender=Holiday, dispatch_uid="holiday-saved")
        post_delete.connect(forget_calendar, sender=Holiday, dispatch_uid="holiday-deleted")
        # Deadline alerts for the desk (idempotent: one notification per dossier and kind).
        schedule.register(
            "procedures.flag_dossiers",
            every=timedelta(minutes=30),
            run="langso.procedures.actions.flag_dossiers",
        )

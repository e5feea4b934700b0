from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngageConfig(AppConfig):
    name = "langso.engage"
    label = "engage"
    verbose_name = _("Tương tác người dân")

    def ready(self) -> None:
        from datetime import timedelta

        from langso.core import media, schedule

        from .queries import announcement_file_access

        media.register_gate("engage/announcements/", announcement_file_access)

        # Deliveries whose back-off has passed, and those a dead worker left behind.
        schedule.register(
            "engage.release_due_retries",
            every=timedelta(minutes=5),
            run="langso.engage.delivery.release_due_retries",
        )
        schedule.register(
            "engage.recover_stalled_deliveries",
            every=timedelta(minutes=15),
            run="langso.engage.delivery.recover_stalled_deliveries",
        )

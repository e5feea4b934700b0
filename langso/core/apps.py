from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        # deploy checks, and the sign-in receivers of per-account lockout (session limits: people)
        from datetime import timedelta

        from . import checks, lockout, schedule  # noqa: F401

        schedule.register(
            "core.purge_idempotency",
            every=timedelta(hours=1),
            run="langso.core.idempotency.purge_expired",
        )
        schedule.register(
            "core.prune_schedule", every=timedelta(days=1), run="langso.core.schedule.prune_runs"
        )
        schedule.register(
            "core.prune_heartbeats",
            every=timedelta(days=1),
            run="langso.core.worker.prune_heartbeats",
        )

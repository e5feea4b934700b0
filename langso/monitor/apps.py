from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "langso.monitor"
    label = "monitor"
    verbose_name = _("Giám sát nông thôn mới")

    def ready(self) -> None:
        from langso.core.figures import figures_changed

        from .actions.values import on_figures_changed

        figures_changed.connect(on_figures_changed, dispatch_uid="monitor.recompute")

        from datetime import timedelta

        from langso.core import schedule

        schedule.register(
            "monitor.release_stuck_recomputes",
            every=timedelta(minutes=30),
            run="langso.monitor.actions.values.release_stuck_recomputes",
        )

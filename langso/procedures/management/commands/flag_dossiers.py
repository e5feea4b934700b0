from django.core.management.base import BaseCommand

from langso.procedures.actions import flag_dossiers


class Command(BaseCommand):
    help = (
        "Notify officials of dossiers not acknowledged within 8 working hours, due within "
        "one working day, or overdue. Run it every 15 minutes (cron or the task worker)."
    )

    def handle(self, *args, **opts):
        self.stdout.write(f"{flag_dossiers()} thông báo mới.")

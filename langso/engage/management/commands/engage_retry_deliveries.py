from django.core.management.base import BaseCommand

from langso.engage.delivery import recover_stalled_deliveries, release_due_retries


class Command(BaseCommand):
    help = (
        "Re-queue announcement deliveries whose retry back-off has passed, and those a "
        "dead worker left behind (run from cron)."
    )

    def handle(self, *args, **options):
        count = release_due_retries()
        recovered = recover_stalled_deliveries()
        self.stdout.write(f"{count} lượt gửi được đưa lại vào hàng đợi.")
        self.stdout.write(f"{recovered} lượt gửi bị dừng dở được gửi lại.")

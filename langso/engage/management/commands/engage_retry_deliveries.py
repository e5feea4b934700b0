from django.core.management.base import BaseCommand

from langso.engage.delivery import release_due_retries


class Command(BaseCommand):
    help = "Re-queue announcement deliveries whose retry back-off has passed (run from cron)."

    def handle(self, *args, **options):
        count = release_due_retries()
        self.stdout.write(f"{count} lượt gửi được đưa lại vào hàng đợi.")

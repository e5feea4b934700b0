"""`langso run_schedule`: run the periodic jobs that are due, now, in the foreground.

The workers already do this on their own (langso/core/schedule.py); the command is for an
installation that runs no worker, or for an operator who wants one job run at once.
"""

from django.core.management.base import BaseCommand, CommandError

from langso.core import schedule


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (the workers do it themselves every few seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="list the jobs and stop")
        parser.add_argument("--job", help="run only this job, even if its slot is taken")

    def handle(self, *args, **options):
        if options["list"]:
            for job in schedule.jobs():
                self.stdout.write(f"{job.name}\tmỗi {job.every}\t{job.run}")
            return
        if options["job"]:
            names = {job.name for job in schedule.jobs()}
            if options["job"] not in names:
                raise CommandError(f"Không có việc định kỳ tên {options['job']!r}.")
            result = schedule.run_job(options["job"])
            self.stdout.write(f"{options['job']}: {result}")
            return
        started = schedule.run_due(enqueue=False)
        self.stdout.write(f"Đã chạy {len(started)} việc định kỳ: {', '.join(started) or '-'}")

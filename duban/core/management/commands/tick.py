import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils import timezone

from duban.core import tick


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, escalations, webhook retries). Idempotent: run it every few minutes."

    def add_arguments(self, parser):
        parser.add_argument("--job", action="append", help="run only this job (repeatable)")
        parser.add_argument("--now", help="pretend it is this time (ISO 8601), for replaying a missed run")
        parser.add_argument("--list", action="store_true", help="list the jobs and exit")

    def handle(self, *args, job, now, list, **options):
        if list:
            for name in tick.JOBS:
                self.stdout.write(name)
            return
        if job and set(job) - set(tick.JOBS):
            raise CommandError(_("unknown job: %(names)s (duban tick --list shows them)")
                               % {"names": ", ".join(sorted(set(job) - set(tick.JOBS)))})
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(_("--now: “%(value)s” is not a time like 2023-10-20T09:05") % {"value": now}) from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        for name, result in tick.run_jobs(moment, only=job).items():
            self.stdout.write(f"{name}: {result}")

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
                self.stdout.write(f"{name}  {tick.TITLES.get(name, name)}")
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
            self.stdout.write(_("%(job)s: %(result)s") % {"job": tick.TITLES.get(name, name), "result": describe(result)})


# What a job's dict of counts names (daily-digest's), in the reader's language.
COUNT_WORDS = {"digests": gettext_lazy("digests"), "robots": gettext_lazy("group robot messages")}


def describe(result):
    """A job's result in words: its own summary, a dict of counts with their names, or how it failed."""
    if result == tick.SKIPPED:
        return _("skipped: another server is running it")
    if isinstance(result, str) and result.startswith("error: "):
        return _("failed: %(error)s") % {"error": result.removeprefix("error: ")}
    if isinstance(result, dict):
        return _(", ").join(_("%(what)s %(count)s") % {"what": COUNT_WORDS.get(key, key), "count": count}
                            for key, count in result.items())
    return str(result)

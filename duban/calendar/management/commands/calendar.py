"""`duban calendar …`: the working-day calendar from the command line.

    duban calendar import FILE [--year Y] [--region R] [--dry-run] [--no-recompute]
    duban calendar add-workdays DATE N
    duban calendar between A B
    duban calendar is-workday DATE
    duban calendar recompute [--dry-run]

Answers go to stdout in a form scripts can read (an ISO date, a number,
yes/no); "provisional" is appended when a year's notice is missing, and the
warning itself goes to stderr.
"""

import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.calendar import deadlines, workdays
from duban.calendar.notices import NoticeError, import_notice, parse_notice



def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value}) from None


def read_notice(path: str | Path) -> str:
    """The file's text; reposted notices are often saved in GB18030 rather than UTF-8."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(_("%(path)s: cannot be read (%(reason)s)") % {"path": path, "reason": error.strerror}) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(_("%(path)s: neither UTF-8 nor GB18030 text.") % {"path": path})


class Command(BaseCommand):
    help = "Working-day calendar: import a holiday notice, count working days, recompute stored deadlines."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        sub = actions.add_parser("import", help="Import the State Council's yearly holiday notice from a text file.")
        sub.add_argument("file")
        sub.add_argument("--year", type=int, help="The notice's year, if the text has no title.")
        sub.add_argument("--dry-run", action="store_true", help="Parse and print the dates; store nothing.")
        sub.add_argument("--no-recompute", action="store_true", help="Do not recompute stored deadlines afterwards.")

        sub = actions.add_parser("add-workdays", help="Print the N-th working day after DATE.")
        sub.add_argument("date", type=iso_date)
        sub.add_argument("n", type=int)

        sub = actions.add_parser("between", help="Print the number of working days after A up to and including B.")
        sub.add_argument("a", type=iso_date)
        sub.add_argument("b", type=iso_date)

        sub = actions.add_parser("is-workday", help="Print yes or no, and why.")
        sub.add_argument("date", type=iso_date)

        sub = actions.add_parser("recompute", help="Recompute open stored deadlines after a calendar change.")
        sub.add_argument("--dry-run", action="store_true", help="Print what would move; change nothing.")

        for sub in actions.choices.values():
            sub.add_argument("--region", default=None, help="Region code (default: DUBAN_DEFAULT_REGION).")

    def handle(self, *args: str, action: str, region: str | None = None, **options: Any) -> None:
        self.region = region or settings.DUBAN_DEFAULT_REGION
        handler = getattr(self, "handle_" + action.replace("-", "_"))
        try:
            handler(**options)
        except ValueError as error:
            # Dates beyond the years the engine covers.
            raise CommandError(str(error)) from None

    def answer(self, text: object, first: datetime.date, last: datetime.date) -> None:
        years = workdays.provisional_years(first, last, self.region)
        # One line on stdout (the answer, then the word "provisional"); why it is provisional on a line of its own.
        word = _("provisional")  # outside the f-string, where xgettext (makemessages) finds it
        self.stdout.write(f"{text} {word}" if years else str(text))
        if years:
            self.stdout.flush()
            self.stderr.write(workdays.provisional_warning(years))

    def handle_add_workdays(self, date: datetime.date, n: int, **options: Any) -> None:
        result = workdays.add_workdays(date, n, self.region)
        self.answer(result.isoformat(), date, result)

    def handle_between(self, a: datetime.date, b: datetime.date, **options: Any) -> None:
        self.answer(workdays.workdays_between(a, b, self.region), a, b)

    def handle_is_workday(self, date: datetime.date, **options: Any) -> None:
        info = workdays.day_info(date, self.region)
        answer = _("yes") if info.workday else _("no")
        self.answer(f"{answer} {info.reason}", date, date)

    def handle_import(self, file: str, year: int | None = None, dry_run: bool = False, no_recompute: bool = False,
                      **options: Any) -> None:
        text = read_notice(file)
        try:
            if dry_run:
                parsed = parse_notice(text, year)
                for day, kind, name, _line in parsed.days():
                    self.stdout.write(f"{day.isoformat()} {kind} {name}")
                return
            result = import_notice(text, region=self.region, source=Path(file).name, year=year)
        except NoticeError as error:
            raise CommandError(f"{file}:{error.line}: {error.message}") from None
        notice = result.notice
        self.stdout.write(
            _("Imported %(title)s for %(region)s: %(holidays)d days off, %(workdays)d adjusted working days%(replaced)s.")
            % {
                "title": notice.title, "region": notice.region, "holidays": result.holidays,
                "workdays": result.workdays, "replaced": _(" (replacing the previous schedule)") if result.replaced else "",
            }
        )
        if not no_recompute:
            self.handle_recompute(reason=_("imported the %(year)s holiday notice") % {"year": notice.year})

    def handle_recompute(self, dry_run: bool = False, reason: str = "", **options: Any) -> None:
        if not deadlines.registered():
            self.stdout.write(_("No stored deadlines are registered; nothing to recompute."))
            return
        changes = deadlines.recompute(reason=reason or "duban calendar recompute", dry_run=dry_run)
        for change in changes:
            self.stdout.write(str(change))
        self.stdout.write(
            _("%(count)d stored deadlines moved%(dry)s.")
            % {"count": len(changes), "dry": _(" (dry run: nothing saved)") if dry_run else ""}
        )

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.audit.backup import FORMATS, BackupError, backup
from duban.audit.models import Entry
from duban.audit.trail import write


class Command(BaseCommand):
    help = ("Back up the whole database to PATH: SQLite's online backup, pg_dump on PostgreSQL, "
            "or Django JSON (--format json, any database). Safe while the site runs.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=FORMATS, help="default: sqlite or pg_dump, json without pg_dump")

    def handle(self, *args, path, format, **options):
        try:
            used = backup(path, format)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        write(Entry.Action.COMMAND, detail=f"backup ({used}) to {path}")
        self.stdout.write(_("Backed up (%(format)s) to %(path)s") % {"format": used, "path": path})

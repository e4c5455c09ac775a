from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.db import connection

from duban.audit.backup import BackupError, restore
from duban.audit.models import Entry
from duban.audit.trail import write


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by `duban backup` (format recognised from the file)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="do not ask for confirmation")

    def handle(self, *args, path, interactive, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            try:
                answer = input(_("This replaces every row of database %(name)s with %(path)s. Type 'yes' to go on: ")
                               % {"name": name, "path": path})
            except EOFError:
                answer = ""
            if answer.strip() != "yes":
                raise CommandError(_("Restore cancelled."))
        try:
            fmt = restore(path)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        write(Entry.Action.COMMAND, detail=f"restore ({fmt}) from {path}")
        self.stdout.write(_("Restored (%(format)s) from %(path)s") % {"format": fmt, "path": path})

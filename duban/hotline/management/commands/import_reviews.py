from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.hotline.models import ReviewImport
from duban.hotline.review_import import import_file


class Command(BaseCommand):
    help = ("Import service reviews from a platform export (.xlsx or .csv). All rows or none; "
            "bad reviews open rectifications due in 1 working day.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the office account the import is recorded under")
        parser.add_argument("--dry-run", action="store_true", help="check every row, import nothing")

    def handle(self, file, user, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(_("--user %(name)s: no such account") % {"name": user})
        batch = import_file(path.read_bytes(), path.name, account, dry_run=dry_run)
        if batch.state == ReviewImport.State.REFUSED:
            for problem in batch.errors:
                self.stderr.write(f"{path.name}: {problem['text']}")
            raise CommandError(_("%(file)s: %(count)s problem(s); nothing was imported")
                               % {"file": path.name, "count": len(batch.errors)})
        counts = {"file": path.name, "rows": batch.row_count, "bad": batch.bad_count}
        self.stdout.write((_("%(file)s: would import %(rows)s reviews (%(bad)s bad, would open as many rectifications)")
                           if dry_run else
                           _("%(file)s: imported %(rows)s reviews (%(bad)s bad, opened as many rectifications)")) % counts)

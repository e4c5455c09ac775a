from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"{path}: no such file")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"--user {user}: no such account")
        batch = import_file(path.read_bytes(), path.name, account, dry_run=dry_run)
        if batch.state == ReviewImport.State.REFUSED:
            for problem in batch.errors:
                self.stderr.write(f"{path.name}: {problem['text']}")
            raise CommandError(f"{path.name}: {len(batch.errors)} problem(s); nothing was imported")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{path.name}: {verb} {batch.row_count} reviews ({batch.bad_count} bad, "
                          f"{'would open' if dry_run else 'opened'} as many rectifications)")

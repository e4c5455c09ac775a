from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.archives import ArchiveRefused, check_archive
from duban.core.models import Region
from duban.plans.units import UnitDirectoryError, import_unit_directory


class Command(BaseCommand):
    help = "Load a unit directory (CSV: name,kind,aliases with aliases separated by '|')."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE",
                            help="the region it belongs to (its code; may be left out only on a one-region site)")
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            check_archive(path, name=Path(path).name)  # a spreadsheet saved as .csv by mistake is a zip
            text = Path(path).read_text(encoding="utf-8-sig")
            created, aliases = import_unit_directory(text, source=path,
                                                    region_id=Region.objects.by_code(options["region"]).pk)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("%(path)s: cannot be read (%(reason)s)")
                               % {"path": path, "reason": getattr(exc, "strerror", None) or exc}) from exc
        except (UnitDirectoryError, LookupError, ArchiveRefused) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{created} units created, {aliases} aliases added.")

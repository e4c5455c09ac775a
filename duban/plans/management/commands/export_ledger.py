"""`duban export-ledger`: write a plan's ledger as an .xlsx in the annexes' column layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.plans.exporters import export_ledger_xlsx, ledger_filename
from duban.plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan's ledger as an Excel workbook in the annexes' column layout (importable again)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--plan", type=int, help="the plan's id (default: the only or most recent plan)")
        which.add_argument("--document-number", help="the plan's document number, such as 西办发〔2023〕20号")
        parser.add_argument("--format", choices=["xlsx"], default="xlsx", help="file format (xlsx)")
        parser.add_argument("-o", "--output", help="file to write (default: <document number>.xlsx here)")

    def handle(self, *args, plan, document_number, format, output, **options):
        if output == "-":
            raise CommandError(_("An .xlsx file is binary and cannot go to standard output; name a file with -o."))
        chosen = self._plan(plan, document_number)
        path = Path(output) if output else Path(ledger_filename(chosen))
        try:
            path.write_bytes(export_ledger_xlsx(chosen))
        except OSError as exc:
            raise CommandError(_("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}) from exc
        self.stdout.write(_("Wrote the ledger of %(plan)s to %(path)s") % {
            "plan": chosen.document_number or chosen.title, "path": path})

    def _plan(self, pk, document_number):
        if pk is not None:
            found = Plan.objects.filter(pk=pk).first()
            if found is None:
                raise CommandError(_("There is no plan with id %(id)s.") % {"id": pk})
            return found
        if document_number:
            matches = list(Plan.objects.filter(document_number=document_number)[:2])
            if len(matches) > 1:  # the same number in two regions: only the id says which
                raise CommandError(_("Plans of several regions have document number %(number)s; give --plan with its id.")
                                   % {"number": document_number})
            found = matches[0] if matches else None
            if found is None:
                raise CommandError(_("There is no plan with document number %(number)s.") % {"number": document_number})
            return found
        found = Plan.objects.order_by("-year", "-imported_at", "-pk").first()
        if found is None:
            raise CommandError(_("There is no plan to export; import one with `duban import-plan`."))
        return found

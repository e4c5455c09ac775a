import json

from django.core.management.base import BaseCommand, CommandError

from duban.core.models import Region
from duban.plans.importers import LAYOUTS, PlanImportError
from duban.plans.services import import_plan_file


class Command(BaseCommand):
    help = "Import an action plan (text of the published PDF, .xlsx ledger or .docx) into the plan ledger."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", help="the region it belongs to (default: the default region)")
        parser.add_argument("path", help="the plan file: .txt (text of the PDF), .xlsx or .docx")
        parser.add_argument("--dry-run", action="store_true", help="show what would be created; change nothing")
        parser.add_argument("--replace", action="store_true", help="replace a plan already imported")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
        parser.add_argument("--layout", choices=LAYOUTS, help=(
            "force the reader instead of detecting it: annex (body items + task-list annexes, like the seed), "
            "prose (a 任务分工方案 or 工作要点: numbered items with their attributions), table (.xlsx/.docx tables)"))

    def handle(self, *args, path, dry_run, replace, format, layout, **options):
        try:
            summary = import_plan_file(path, replace=replace, dry_run=dry_run, layout=layout,
                                       region_id=Region.objects.by_code(options["region"]).pk)
        except (PlanImportError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(
                {k: summary[k] for k in ("areas", "tasks", "measures", "units", "warnings")}
                | {"proposed_units": summary.get("proposed_units", [])}
                | {"dry_run": dry_run, "plan": summary.get("plan")}, ensure_ascii=False, indent=2))
            return
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(f"{verb}: {summary['areas']} areas, {summary['tasks']} tasks, "
                          f"{summary['measures']} measures, {summary['units']} units.")
        for warning in summary["warnings"]:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")

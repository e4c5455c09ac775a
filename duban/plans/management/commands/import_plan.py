import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.models import Region
from duban.plans.importers import LAYOUTS, PlanImportError, read_plan_file
from duban.plans.importers.items import plan_items
from duban.plans.services import save_parsed_plan
from duban.plans.units import directory_lookup


class Command(BaseCommand):
    help = "Import an action plan (text of the published PDF, .xlsx ledger or .docx) into the plan ledger."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", help="the region it belongs to (default: the default region)")
        parser.add_argument("path", help="the plan file: .txt (text of the PDF), .xlsx or .docx")
        parser.add_argument("--dry-run", action="store_true", help="show what would be created; change nothing")
        parser.add_argument("--replace", action="store_true", help="replace a plan already imported")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="summary format (json lists every item the plan creates)")
        parser.add_argument("--layout", choices=LAYOUTS, help=(
            "force the reader instead of detecting it: annex (body items + task-list annexes, like the seed), "
            "prose (a 任务分工方案 or 工作要点: numbered items with their attributions), table (.xlsx/.docx tables)"))

    def handle(self, *args, path, dry_run, replace, format, layout, **options):
        try:
            region_id = Region.objects.by_code(options["region"]).pk
            parsed = read_plan_file(path, layout=layout)
            # Read before saving: "not in the unit directory" means the directory as it was.
            items = plan_items(parsed, directory_lookup(region_id))
            summary = save_parsed_plan(parsed, replace=replace, dry_run=dry_run,
                                       source_path=None if dry_run else path, region_id=region_id)
        except (PlanImportError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            # The counts and warnings of the save (units merged through the directory's aliases, the
            # directory's proposals named) and the items as read.
            self.stdout.write(json.dumps(
                items | {k: summary[k] for k in ("areas", "tasks", "measures", "units", "warnings")}
                | {"proposed_units": summary.get("proposed_units", [])}
                | {"dry_run": dry_run, "plan": summary.get("plan")}, ensure_ascii=False, indent=2))
            return
        counts = {k: summary[k] for k in ("areas", "tasks", "measures", "units")}
        if dry_run:
            self.stdout.write(_("Would create: %(areas)d areas, %(tasks)d tasks, %(measures)d measures, "
                                "%(units)d units.") % counts)
        else:
            self.stdout.write(_("Created: %(areas)d areas, %(tasks)d tasks, %(measures)d measures, "
                                "%(units)d units.") % counts)
        for warning in summary["warnings"]:
            self.stdout.write(self.style.WARNING(_("warning: %(warning)s") % {"warning": warning}))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))

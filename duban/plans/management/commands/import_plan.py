import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.models import Region
from duban.plans.importers import LAYOUTS, PlanImportError, read_plan_file
from duban.plans.importers.items import plan_items
from duban.plans.services import find_existing_plan, save_parsed_plan
from duban.plans.units import directory_lookup


class Command(BaseCommand):
    help = "Import an action plan (text of the published PDF, .xlsx ledger or .docx) into the plan ledger."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE",
                            help="the region it belongs to (its code; may be left out only on a one-region site)")
        parser.add_argument("path", help="the plan file: .txt (text of the PDF), .xlsx or .docx")
        parser.add_argument("--dry-run", action="store_true", help="show what would be created; change nothing")
        parser.add_argument("--replace", action="store_true",
                            help="delete the plan already imported and import it afresh (its progress is lost)")
        parser.add_argument("--revise", action="store_true", help=(
            "a revised plan (修订版): write it into the plan already imported with the same document number or "
            "title, keeping the measures that did not change and the progress reported on them"))
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="summary format (json lists every item the plan creates)")
        parser.add_argument("--layout", choices=LAYOUTS, help=(
            "force the reader instead of detecting it: annex (body items + task-list annexes, like the seed), "
            "prose (a 任务分工方案 or 工作要点: numbered items with their attributions), table (.xlsx/.docx tables)"))

    def handle(self, *args, path, dry_run, replace, revise, format, layout, **options):
        if replace and revise:
            raise CommandError(_("--replace and --revise exclude each other: choose one."))
        try:
            region_id = Region.objects.by_code(options["region"]).pk
            parsed = read_plan_file(path, layout=layout)
            # Read before saving: "not in the unit directory" means the directory as it was.
            items = plan_items(parsed, directory_lookup(region_id))
            revised = None
            if revise:
                revised = find_existing_plan(parsed, region_id)
                if revised is None:
                    raise PlanImportError(_("%(file)s: no plan with its document number or title is imported yet; "
                                            "import it without --revise") % {"file": parsed.source_name})
            summary = save_parsed_plan(parsed, replace=replace, dry_run=dry_run, revise=revised,
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
        if "revision" in summary:
            self.stdout.write((_("Revision (would be written): %(added)d measures added, %(removed)d removed, "
                                 "%(changed)d changed, %(unchanged)d unchanged.") if dry_run else
                               _("Revision written: %(added)d measures added, %(removed)d removed, %(changed)d "
                                 "changed, %(unchanged)d unchanged (their progress kept).")) % summary["revision"])
        elif dry_run:
            self.stdout.write(_("Would create: %(areas)d areas, %(tasks)d tasks, %(measures)d measures, "
                                "%(units)d units.") % counts)
        else:
            self.stdout.write(_("Created: %(areas)d areas, %(tasks)d tasks, %(measures)d measures, "
                                "%(units)d units.") % counts)
        for warning in summary["warnings"]:
            self.stdout.write(self.style.WARNING(_("warning: %(warning)s") % {"warning": warning}))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))

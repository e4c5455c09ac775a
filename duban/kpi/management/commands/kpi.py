"""`duban kpi …`: indicator targets from the command line.

    duban kpi propose [--plan ID]                       find targets in the plan's text (safe to repeat)
    duban kpi proposals [--plan ID] [--status S] [--format text|json]
    duban kpi attainment [--plan ID] [--date YYYY-MM-DD] [--format text|json]
    duban kpi export FILE [--plan ID] [--unit NAME]
    duban kpi import FILE --user USERNAME [--dry-run] [--reason TEXT]

Without --plan, the latest plan. JSON goes to stdout for scripts; messages to stderr.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.plans.models import Plan, Unit

from ...attainment import roll_up
from ...display import number
from ...models import Proposal
from ...services import metrics_for, propose_metrics
from ...spreadsheet import SpreadsheetError, export_values, import_values


def as_number(value):
    """A Decimal as a JSON number: 6000, 0.5."""
    text = number(value)
    return float(text) if "." in text else int(text)


def proposal_json(proposal):
    field, ref = proposal.source_ref()
    return {
        "id": proposal.pk,
        "plan": proposal.plan_id,
        "area": proposal.area.name if proposal.area else None,
        "area_number": proposal.area.number if proposal.area else None,
        "subject": proposal.subject,
        "value": as_number(proposal.value),
        "unit": proposal.unit,
        "direction": proposal.direction,
        "printed": proposal.quantity_text,
        "text": proposal.text,
        "source": {"field": field, "ref": ref},
        "also_in": proposal.also_in,
        "status": proposal.status,
        "conflicts": sorted(other.pk for other in proposal.conflicts.all()),
        "metric": getattr(getattr(proposal, "metric", None), "pk", None),
    }


class Command(BaseCommand):
    help = "Indicator targets: propose metrics from a plan, list proposals, attainment, and values in .xlsx."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub = actions.add_parser("propose", help="Find targets in the plan's text and propose them as metrics.")
        sub = actions.add_parser("proposals", help="List the proposed targets.")
        sub.add_argument("--status", choices=[*Proposal.Status.values, "all"], default="all")
        sub.add_argument("--format", choices=["text", "json"], default="text")
        sub = actions.add_parser("attainment", help="Each confirmed metric's status.")
        sub.add_argument("--date", type=datetime.date.fromisoformat, help="Assess as of this date (default today).")
        sub.add_argument("--format", choices=["text", "json"], default="text")
        sub = actions.add_parser("export", help="Write the metric values to an .xlsx file.")
        sub.add_argument("file")
        sub.add_argument("--unit", help="Only the metrics this unit owns (its name).")
        sub = actions.add_parser("import", help="Read metric values from an .xlsx file (all rows or none).")
        sub.add_argument("file")
        sub.add_argument("--user", required=True, help="Whose report this is; their permissions apply.")
        sub.add_argument("--dry-run", action="store_true", help="Check the file and print what would change.")
        sub.add_argument("--reason", default="", help="Reason for changes to values already reported.")
        for sub in actions.choices.values():
            sub.add_argument("--plan", type=int, help="Plan ID (default: the latest plan).")

    def handle(self, *args, action, plan=None, **options):
        getattr(self, "handle_" + action)(self.get_plan(plan), **options)

    def get_plan(self, plan_id):
        plan = Plan.objects.filter(pk=plan_id).first() if plan_id else Plan.objects.order_by("-year", "-pk").first()
        if plan is None:
            raise CommandError(_("There is no plan with id %(id)s.") % {"id": plan_id} if plan_id
                               else _("No plan has been imported yet."))
        return plan

    def handle_propose(self, plan, **options):
        counts = propose_metrics(plan)
        self.stdout.write(
            "{plan}: {found} targets found, {created} new, {kept} already proposed, {removed} removed, "
            "{conflicts} conflicting pairs".format(plan=plan, **counts))

    def handle_proposals(self, plan, status, format, **options):
        proposals = plan.metric_proposals.select_related("area", "measure", "task", "metric").prefetch_related(
            "conflicts")
        if status != "all":
            proposals = proposals.filter(status=status)
        rows = [proposal_json(p) for p in proposals]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            flag = " CONFLICT" if row["conflicts"] else ""
            self.stdout.write(f"{row['id']:>5} {row['status']:<10} {row['area'] or '(plan)'} | {row['subject']} "
                              f"{row['direction']} {row['value']} {row['unit']}{flag}")

    def handle_attainment(self, plan, date, format, **options):
        rows = []
        for rollup in roll_up(metrics_for(plan), date).values():
            for a in rollup.assessments:
                rows.append({
                    "metric": a.metric.pk, "name": a.metric.name,
                    "area": a.metric.area.name if a.metric.area else None,
                    "status": a.status, "rate": float(a.rate) if a.rate is not None else None,
                    "latest": as_number(a.latest.value) if a.latest else None,
                    "period": a.latest.period if a.latest else None,
                })
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['metric']:>5} {row['status']:<9} {row['rate'] if row['rate'] is not None else '-':>6} "
                              f"{row['area'] or '(plan)'} | {row['name']}")

    def handle_export(self, plan, file, unit=None, **options):
        metrics = metrics_for(plan)
        if unit:
            owner = Unit.objects.filter(region=plan.region_id, name=unit).first()  # the plan's region's unit
            if owner is None:
                raise CommandError(_("There is no unit named %(name)s.") % {"name": unit})
            metrics = metrics.filter(owner=owner)
        Path(file).write_bytes(export_values(metrics))
        self.stdout.write(f"Wrote {file}")

    def handle_import(self, plan, file, user, dry_run, reason, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(_("There is no user named %(name)s.") % {"name": user})
        try:
            with open(file, "rb") as handle:
                result = import_values(handle, account, dry_run=dry_run, reason=reason)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except SpreadsheetError as error:
            raise CommandError(f"{file}: {error}") from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(_("%(count)s problems; nothing was saved.") % {"count": len(result.errors)})
        summary = result.summary
        prefix = "Dry run, nothing saved" if dry_run else "Imported"
        self.stdout.write(f"{prefix}: {summary['created']} new, {summary['changed']} changed, "
                          f"{summary['corrected']} corrected, {summary['unchanged']} unchanged, "
                          f"{summary['skipped']} empty rows skipped")

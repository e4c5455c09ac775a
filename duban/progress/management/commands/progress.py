"""`duban progress …`: progress reporting from the command line.

    duban progress tallies [--plan ID]    count the office matrix's tallies afresh from the reports

The services keep the tallies current; run this after writing reports around them (a restore of part
of the database, a bulk import, a hand-made fix). It prints how many rows it corrected: 0 when all is well.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.plans.models import Plan

from ...services import rebuild_tallies


class Command(BaseCommand):
    help = "Progress reporting: count the office matrix's per-unit tallies afresh."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        tallies = actions.add_parser("tallies", help="Count the office matrix's tallies afresh from the reports.")
        tallies.add_argument("--plan", type=int, help="Only this plan (its id); all plans by default.")

    def handle(self, *args, action, **options):
        plan = None
        if options["plan"] is not None:
            plan = Plan.objects.filter(pk=options["plan"]).first()
            if plan is None:
                raise CommandError(_("There is no plan with id %(id)s.") % {"id": options["plan"]})
        changed = rebuild_tallies(plan)
        self.stdout.write(_("%(count)s tally rows corrected.") % {"count": changed})

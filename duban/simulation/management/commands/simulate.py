"""`duban simulate`: a deterministic year of activity on an imported plan, or a province of districts.

    duban simulate                         # the only (or the demo) plan, up to DUBAN_TODAY
    duban simulate --plan 3 --today 2023-10-20 --seed 7
    duban simulate --districts 100         # a province: 100 derived plans and their years
    duban simulate --fingerprint --check   # print the content hash; check the domain's invariants

See docs/demo.md.
"""

import datetime
import resource
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core import clock
from duban.plans.models import Plan
from duban.simulation.fingerprint import fingerprint
from duban.simulation.invariants import check
from duban.simulation.simulate import DEFAULT_SEED, AlreadySimulated, simulate_plan

from .demo import count_labels

DEMO_DOCUMENT = "西办发〔2023〕20号"


class Command(BaseCommand):
    help = "Simulate a plan's year of activity up to a day (development and benchmarks; refuses with DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="plan id (default: the only plan, or the demo plan)")
        parser.add_argument("--today", type=datetime.date.fromisoformat,
                            help="simulate up to this day, 09:00 (default: DUBAN_TODAY, or today)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument("--districts", type=int, default=0,
                            help="create this many districts, each with a plan derived from the demo plan")
        parser.add_argument("--jobs", type=int, default=1,
                            help="with --districts: simulate in this many processes (PostgreSQL, or SQLite)")
        parser.add_argument("--fingerprint", action="store_true", help="print a hash of the data afterwards")
        parser.add_argument("--check", action="store_true", help="check the domain's invariants afterwards")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Simulated data is for demos and benchmarks; refusing with DEBUG off."))
        started, cpu_started = time.perf_counter(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        children_started = children.ru_utime + children.ru_stime
        today = options["today"] or clock.today()
        if options["districts"]:
            from duban.simulation.districts import simulate_districts

            timings = {}
            counts = simulate_districts(options["districts"], today=today, seed=options["seed"],
                                        progress=sys.stderr if options["verbosity"] else None, timings=timings,
                                        jobs=options["jobs"])
            # CPU seconds of whichever process did the work (the --jobs workers' added up): on a shared
            # machine the wall clock says more about the neighbours than about the simulation.
            total = sum(timings.values()) or 1
            words = timing_labels()
            where, seconds_word = _("where the CPU time went"), _("CPU seconds")
            self.stdout.write(f"  {where:<30} {seconds_word:>7}")
            for what, seconds in sorted(timings.items(), key=lambda item: -item[1]):
                self.stdout.write(f"  {words.get(what, what):<30} {seconds:7.1f}  {100 * seconds / total:3.0f} %")
        else:
            plan = self._plan(options["plan"])
            try:
                counts = simulate_plan(plan, today=today, seed=options["seed"])
            except AlreadySimulated as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(_("Simulated %(plan)s up to %(today)s 09:00 (seed %(seed)s).") % {
                "plan": plan, "today": min(today, datetime.date(plan.year, 12, 31)), "seed": options["seed"]})
        labels = count_labels()
        self.stdout.write("  " + _(", ").join(_("%(what)s %(count)s") % {"what": labels.get(name, name),
                                                                          "count": f"{count:,}"}
                                              for name, count in counts.items()))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu_started + children.ru_utime + children.ru_stime - children_started
        self.stdout.write("  " + _("in %(wall).1f s, %(cpu).1f s of CPU time") % {
            "wall": time.perf_counter() - started, "cpu": cpu})
        if options["check"]:
            problems = check()
            for problem in problems:
                self.stderr.write("  " + _("invariant broken: %(problem)s") % {"problem": problem})
            if problems:
                raise CommandError(_("%(n)s invariants broken") % {"n": len(problems)})
            self.stdout.write("  " + _("the domain's invariants hold"))
        if options["fingerprint"]:
            self.stdout.write("  " + _("fingerprint %(hash)s") % {"hash": fingerprint()})

    def _plan(self, plan_id):
        if plan_id:
            try:
                return Plan.objects.get(pk=plan_id)
            except Plan.DoesNotExist as exc:
                raise CommandError(_("There is no plan with id %(id)s.") % {"id": plan_id}) from exc
        plans = list(Plan.objects.all()[:2])
        if len(plans) == 1:
            return plans[0]
        demo = Plan.objects.filter(document_number=DEMO_DOCUMENT).first()
        if demo:
            return demo
        raise CommandError(_("There are several plans: say which with --plan ID.") if plans else
                           _("No plan has been imported yet: run `duban demo` or `duban import-plan` first."))


def timing_labels():
    """Where a province's CPU time went (districts.py, bulk.py, indexes.py name the parts), in words."""
    return {
        "import the derived plans": _("importing the derived plans"),
        "decide (the engine's stories)": _("deciding (the simulation's stories)"),
        "rounds, meetings, circulars (services)": _("rounds, meetings, circulars (services)"),
        "write rows (bulk inserts and updates)": _("writing rows (bulk inserts and updates)"),
        "create the deferred indexes": _("creating the deferred indexes"),
    }

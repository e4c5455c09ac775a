from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.db import IntegrityError

from duban.core.models import Region


class Command(BaseCommand):
    help = ("List the regions, or add one: `duban region add CODE NAME`. Import its units and plan with "
            "`duban import-units --region CODE …` and `duban import-plan --region CODE …`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="the regions and what each holds")
        add = sub.add_parser("add", help="add a region")
        add.add_argument("code", help="a short stable code, e.g. the administrative division code 360103")
        add.add_argument("name", help="its name, e.g. 西湖区")

    def handle(self, *args, action=None, **options):
        if action == "add":
            try:
                region = Region.objects.create(code=options["code"].strip(), name=options["name"].strip())
            except IntegrityError as exc:
                raise CommandError(_("A region with code %(code)s or name %(name)s exists already.")
                                   % {"code": options["code"], "name": options["name"]}) from exc
            self.stdout.write(_("Added region %(code)s %(name)s.") % {"code": region.code, "name": region.name})
            return
        for region in Region.objects.order_by("pk"):
            self.stdout.write(f"{region.code}\t{region.name}\t" + _("%(plans)s plans, %(units)s units, %(users)s users")
                              % {"plans": region.plans.count(), "units": region.units.count(),
                                 "users": region.users.count()})

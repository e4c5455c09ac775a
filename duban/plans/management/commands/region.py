from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core.models import Region


def office_arguments(parser):
    parser.add_argument("--office-name", default=None,
                        help="the office's full name for the red header of its circulars, e.g. "
                             "西湖区营商环境优化升级工作领导小组办公室 (default: the region's name + 营商环境优化升级工作领导小组办公室)")
    parser.add_argument("--office-short", default=None,
                        help="the office's short name, e.g. 西湖区营商办 (default: the region's name + 营商办)")


class Command(BaseCommand):
    help = ("List the regions, add one (`duban region add CODE NAME [--office-name …] [--office-short …]`) or "
            "name its office (`duban region set CODE --office-name … --office-short …`). Import its units and plan "
            "with `duban import-units --region CODE …` and `duban import-plan --region CODE …`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="the regions, their offices and what each holds")
        add = sub.add_parser("add", help="add a region")
        add.add_argument("code", help="a short stable code, e.g. the administrative division code 360103")
        add.add_argument("name", help="its name, e.g. 西湖区")
        office_arguments(add)
        change = sub.add_parser("set", help="change a region's name or its office's names (empty: derived)")
        change.add_argument("code", help="the region's code")
        change.add_argument("--name", default=None, help="its new name")
        office_arguments(change)

    def handle(self, *args, action=None, **options):
        if action == "add":
            try:
                with transaction.atomic():
                    region = Region.objects.create(
                        code=options["code"].strip(), name=options["name"].strip(),
                        office_name=(options["office_name"] or "").strip(),
                        office_short=(options["office_short"] or "").strip())
            except IntegrityError as exc:
                raise CommandError(_("A region with code %(code)s or name %(name)s exists already.")
                                   % {"code": options["code"], "name": options["name"]}) from exc
            self.stdout.write(_("Added region %(code)s %(name)s.") % {"code": region.code, "name": region.name})
            self._office(region)
            return
        if action == "set":
            self._set(options)
            return
        for region in Region.objects.order_by("pk"):
            self.stdout.write(f"{region.code}\t{region.name}\t{region.office_short_name}\t"
                              + _("%(plans)s plans, %(units)s units, %(users)s users")
                              % {"plans": region.plans.count(), "units": region.units.count(),
                                 "users": region.users.count()})

    def _set(self, options):
        region = Region.objects.filter(code=options["code"].strip()).first()
        if region is None:
            raise CommandError(_("No region has the code %(code)s (see `duban region list`).")
                               % {"code": options["code"]})
        changes = {field: options[option].strip() for field, option in (
            ("name", "name"), ("office_name", "office_name"), ("office_short", "office_short"))
            if options[option] is not None}
        if not changes:
            raise CommandError(_("Nothing to change: give --name, --office-name or --office-short."))
        if changes.get("name") == "":
            raise CommandError(_("A region's name cannot be empty."))
        for field, value in changes.items():
            setattr(region, field, value)
        try:
            with transaction.atomic():
                region.save(update_fields=list(changes))
        except IntegrityError as exc:
            raise CommandError(_("A region named %(name)s exists already.") % {"name": region.name}) from exc
        self.stdout.write(_("Changed region %(code)s %(name)s.") % {"code": region.code, "name": region.name})
        self._office(region)

    def _office(self, region):
        self.stdout.write(_("Its office: %(office)s (%(short)s).")
                          % {"office": region.office_full_name, "short": region.office_short_name})

"""`duban createsuperuser [--region CODE]`: Django's command, with the region the account belongs to.

On a one-region site the region goes unnamed (its first set-up). With several, the command asks for it when
run in a terminal, and otherwise refuses in one line naming the codes: a superuser never falls into the
first region unasked (docs/security.md, "Regions").
"""

from django.contrib.auth.management.commands import createsuperuser
from django.core.management import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.models import superuser_region
from duban.core.models import Region


class Command(createsuperuser.Command):
    help = gettext_lazy("Create a superuser account; --region names its region on a site with several.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--region", metavar="CODE",
                            help=_("The code of the account's region (needed when the site has several)."))

    def handle(self, *args, **options):
        region = self.region(options["region"], options["database"], options["interactive"])
        token = superuser_region.set(region)
        try:
            return super().handle(*args, **options)
        finally:
            superuser_region.reset(token)

    def region(self, code, database, interactive):
        regions = Region.objects.db_manager(database).order_by("code")
        codes = ", ".join(regions.values_list("code", flat=True))
        if code is not None:
            found = regions.filter(code=code).first()
            if found is None:
                raise CommandError(_("no region with the code “%(code)s” (regions: %(codes)s)")
                                   % {"code": code, "codes": codes or "—"})
            return found
        first_two = list(regions[:2])
        if not first_two:
            raise CommandError(_("this site has no region yet: add one with duban region add CODE NAME"))
        if len(first_two) == 1:
            return first_two[0]
        if interactive and hasattr(self.stdin, "isatty") and self.stdin.isatty():
            return self.ask_region(regions, codes)
        raise CommandError(_("this site has several regions: name the account's with --region CODE (regions: %(codes)s)")
                           % {"codes": codes})

    def ask_region(self, regions, codes):
        while True:
            code = input(_("Region (%(codes)s): ") % {"codes": codes}).strip()
            found = regions.filter(code=code).first()
            if found is not None:
                return found
            self.stderr.write(_("no region with the code “%(code)s”") % {"code": code})

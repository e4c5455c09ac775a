from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.api.models import ApiToken
from duban.plans.models import Unit


class Command(BaseCommand):
    help = "Issue an API token for a user (prints the key once), e.g. for a platform integration or a script."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="which system or script uses it")
        parser.add_argument("--unit", help="limit the token to this unit (name)")
        parser.add_argument("--write", action="store_true", help="allow writing (default: read only)")

    def handle(self, *args, username, name, unit, write, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("no active user named “%(name)s”") % {"name": username})
        limit = None
        if unit:
            limit = Unit.objects.filter(region=user.region_id, name=unit).first()  # the user's region's unit
            if limit is None:
                raise CommandError(_("no unit named “%(name)s”") % {"name": unit})
        _token, key = ApiToken.issue(name=name, user=user, unit=limit, read_only=not write)
        self.stdout.write(key)

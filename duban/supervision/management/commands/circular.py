from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.plans.models import Plan
from duban.supervision.circulars import RENDERERS, ConversionUnavailable, create_circular


class Command(BaseCommand):
    help = "Produce a quarterly supervision circular: duban circular --quarter 2023Q3 --output FILE.docx|.pdf|.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="for example 2023Q3")
        parser.add_argument("--output", required=True, help="FILE.docx, FILE.pdf or FILE.xlsx")
        parser.add_argument("--plan", type=int, help="plan id (default: the latest plan)")
        parser.add_argument("--number", default="", help="document number, e.g. 西营商办〔2023〕12号")

    def handle(self, *args, quarter, output, plan, number, **options):
        path = Path(output)
        render = RENDERERS.get(path.suffix.lower())
        if render is None:
            raise CommandError(_("--output must end in %(suffixes)s.") % {"suffixes": ", ".join(RENDERERS)})
        plans = Plan.objects.all()
        chosen = plans.filter(pk=plan).first() if plan else plans.order_by("-year", "-pk").first()
        if chosen is None:
            raise CommandError(_("There is no plan with id %(id)s.") % {"id": plan} if plan
                               else _("No plan has been imported yet."))
        try:
            circular = create_circular(chosen, quarter, document_number=number)
            path.write_bytes(render(circular))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except ConversionUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Wrote %(path)s (%(period)s, figures as of %(date)s).")
                          % {"path": path, "period": circular.snapshot["period"], "date": circular.as_of})

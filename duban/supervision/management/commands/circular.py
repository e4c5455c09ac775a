from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.plans.models import Plan
from duban.supervision.circulars import (
    RENDERERS,
    ConversionUnavailable,
    create_circular,
    issue_circular,
)


class Command(BaseCommand):
    help = "Produce a quarterly supervision circular: duban circular --quarter 2023Q3 --output FILE.docx|.pdf|.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="for example 2023Q3")
        parser.add_argument("--output", required=True, help="FILE.docx, FILE.pdf or FILE.xlsx")
        parser.add_argument("--plan", type=int, help="plan id (default: the latest plan)")
        parser.add_argument("--number", default=None, help="document number, e.g. 西营商办〔2023〕12号 (default: the "
                                                           "previous version's)")
        parser.add_argument("--reason", default="", help="why a new version supersedes an issued (印发) circular")
        parser.add_argument("--issue", action="store_true",
                            help="mark the new version issued (印发), as the page's button does: frozen from then on")

    def handle(self, *args, quarter, output, plan, number, reason, issue=False, **options):
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
            with transaction.atomic():
                circular = create_circular(chosen, quarter, document_number=number, reason=reason)
                if issue:  # dated the day it is issued, like the page's 印发
                    circular = issue_circular(circular, None)
            path.write_bytes(render(circular))
        except ValueError as exc:  # a quarter written wrong, or CircularRefused: an issued circular, no reason
            raise CommandError(str(exc)) from exc
        except ConversionUnavailable as exc:
            raise CommandError(str(exc)) from exc
        superseded = f"，代替第{circular.version - 1}版" if circular.version > 1 else ""
        issued = "，已印发" if circular.is_issued else ""
        self.stdout.write(f"已写入 {path}（{circular.snapshot['period']}，第{circular.version}版{superseded}{issued}，"
                          f"数据截至{circular.as_of}）。")

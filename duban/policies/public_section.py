"""The policies block on the public progress page (duban.public): the region's published policies, newest first,
with a link to the searchable list, its open data and the booklet's materials."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.public.data import section

from .publication import published_policies


@section
def policies(publication, today):
    region = publication.plan.region
    rows = list(published_policies(region.pk).select_related("lead_unit").order_by("-issued_on", "pk")[:10])
    if not rows:
        return None
    return {"key": "policies", "title": _("Pro-business policies"), "template": "policies/_public_section.html",
            "rows": rows, "more": reverse("policies:public_list", args=[region.code]),
            "data": [{"title": p.title, "level": p.level, "issued_on": p.issued_on.isoformat()} for p in rows]}

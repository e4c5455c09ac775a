"""The policies block on the public progress page: the region's published policies, newest first, with a link
to the searchable list with their materials and open data (duban.policies)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.policies.publication import published_policies

from .data import section


@section
def policies(publication, today):
    region = publication.plan.region
    rows = list(published_policies(region.pk).select_related("lead_unit").order_by("-issued_on", "pk")[:10])
    if not rows:
        return None
    return {"key": "policies", "title": _("Pro-business policies"), "template": "public/_policies.html",
            "rows": rows, "more": reverse("policies:public_list", args=[region.code]),
            "data": [{"title": p.title, "level": p.level, "issued_on": p.issued_on.isoformat()} for p in rows]}

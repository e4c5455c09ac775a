"""The complaints block on a district leader's page (duban.supervision.leader): the areas they lead, this year."""

from django.utils.translation import gettext as _

from duban.core import clock
from duban.supervision.leader import leader_section

from .models import Complaint
from .stats import complaint_figures, year_bounds


@leader_section
def complaints(leader, areas, today):
    """Per area: complaints received this year and how they were handled; what is open, overdue, supervised now."""
    start, end = year_bounds(today.year)
    now = clock.now()
    rows = []
    for area in areas:
        about = Complaint.objects.filter(category__area=area)
        [figures] = complaint_figures(about.filter(received_at__gte=start, received_at__lt=end), by=(), now=now)
        open_now = about.open()
        row = {"area": area, "figures": figures, "open": open_now.count(),
               "overdue": open_now.filter(next_due__lt=now).count(),
               "supervised": open_now.filter(supervised_at__isnull=False).count()}
        if figures.received or row["open"]:
            rows.append(row)
    if not rows:
        return None
    return {"title": _("Complaints about the areas led (%(year)s)") % {"year": today.year},
            "template": "hotline/_leader_section.html", "rows": rows}

"""The stored deadlines `duban calendar recompute` must move when the calendar changes.

Each is recomputed from the moment its clock started, exactly as the step
that stored it computed it, and only while it still matters (the step is not
done yet).
"""

from django.db.models import F, Q

from duban.calendar import deadlines

from . import clocks
from .models import Complaint, Extension, Rectification


def _reply_due(complaint):
    return clocks.reply_deadline(complaint.received_at, complaint.difficulty) if complaint.difficulty else None


def register_deadlines():
    open_complaint = ~Q(state=Complaint.State.CLOSED)
    deadlines.register(
        Complaint, "contact_due", compute=lambda c: clocks.contact_deadline(c.received_at),
        open=Q(contacted_at__isnull=True),
    )
    deadlines.register(Complaint, "reply_due", compute=_reply_due, open=Q(replied_at__isnull=True) & ~Q(difficulty=""))
    deadlines.register(
        Complaint, "next_due", compute=lambda c: c.current_deadline(), open=open_complaint,
        provisional_field="next_due_provisional",
    )
    current_round = ~Q(complaint__state=Complaint.State.CLOSED) & Q(round=F("complaint__reopen_count")) & ~Q(
        state=Extension.State.REFUSED)
    deadlines.register(Extension, "old_due", compute=lambda e: e.compute_dues()[0], open=current_round)
    deadlines.register(Extension, "new_due", compute=lambda e: e.compute_dues()[1], open=current_round)
    deadlines.register(
        Rectification, "due_at", compute=lambda r: clocks.rectify_deadline(r.opened_at),
        open=Q(state=Rectification.State.OPEN), provisional_field="due_provisional",
    )

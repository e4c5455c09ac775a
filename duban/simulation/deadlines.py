"""The hotline's stored deadlines (duban.hotline.clocks), remembered for the simulation.

A time limit "within n working days of receipt" depends only on the day of
receipt and whether it came before close of business (duban.calendar.sla);
an extension only on the day of the old deadline. A province asks for the
same few hundred answers millions of times, so each is computed once — by the
hotline's own functions — and looked up afterwards.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings

from duban.calendar.sla import close_of_business
from duban.hotline import clocks


class Deadlines:
    def __init__(self):
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.close = close_of_business()
        self.memo = {}

    def _key(self, moment):
        local = moment.astimezone(self.tz)
        return local.date(), local.time() < self.close

    def _get(self, key, compute, *args):
        if key not in self.memo:
            self.memo[key] = compute(*args)
        return self.memo[key]

    def contact(self, received_at):
        return self._get(("contact", self._key(received_at)), clocks.contact_deadline, received_at)

    def reply(self, started_at, difficulty):
        return self._get(("reply", difficulty, self._key(started_at)), clocks.reply_deadline, started_at, difficulty)

    def rectify(self, opened_at):
        return self._get(("rectify", self._key(opened_at)), clocks.rectify_deadline, opened_at)

    def extended(self, due_at, workdays):
        day = due_at.astimezone(self.tz).date()
        return self._get(("extended", day, workdays), clocks.extended_deadline, due_at, workdays)

    def supervise_after(self, due_at):
        day = due_at.astimezone(self.tz).date()
        return self._get(("supervise", day), clocks.supervise_after, due_at)

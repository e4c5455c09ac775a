"""Standing the whole process at the simulated moment.

duban.core.clock.standing_at() makes now(), today() and stamp() — what dates the rows written, auto_now
fields and the audit trail included — answer the moment the simulation has reached, so every timestamp
it leaves is historical (a report submitted in June says June), whatever DUBAN_TODAY says.

Complaint tracking codes are random by design (secrets); the simulation
draws them from its seed instead (hotline.models.drawing_codes_from), so that
the same seed gives the same codes.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import connection
from django.utils import translation

from duban.core.clock import standing_at
from duban.hotline.models import drawing_codes_from

from .randomness import rng


class SimulatedClock:
    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment


@contextlib.contextmanager
def quiet_queries():
    """DEBUG off meanwhile: Django logs every query through its debug cursor while DEBUG is on (make demo),
    which a year of them would slow and fill. The process's own setting, put back on the way out."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug
        connection.queries_log.clear()


@contextlib.contextmanager
def simulated_time(start, seed, label=""):
    sim = SimulatedClock(start)
    codes = rng(seed, "tracking codes", label)
    # The site's language on: what the services write (round titles, statuses in notes) is in it.
    with standing_at(sim.now), drawing_codes_from(codes.choice), quiet_queries(), \
            translation.override(settings.LANGUAGE_CODE):
        yield sim

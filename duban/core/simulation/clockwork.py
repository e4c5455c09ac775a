"""Standing the whole process at the simulated moment.

The domain asks duban.core.clock for "now"; Django's auto_now fields ask
django.utils.timezone.now. While a simulation runs, both answer the moment
the simulation has reached, so every timestamp it leaves is historical (a
report submitted in June says June). DUBAN_TODAY is cleared meanwhile, since
it would otherwise pin the clock to the demo's day.

Complaint tracking codes are random by design (secrets); the simulation
draws them from its seed instead, so that the same seed gives the same codes.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone, translation

from duban.hotline import models as hotline_models

from .randomness import rng


class SimulatedClock:
    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment


@contextlib.contextmanager
def simulated_time(start, seed, label=""):
    sim = SimulatedClock(start)
    codes = rng(seed, "tracking codes", label)
    alphabet, length = hotline_models.TRACKING_ALPHABET, hotline_models.TRACKING_LENGTH
    real_now, real_code = timezone.now, hotline_models.new_tracking_code
    timezone.now = sim.now
    choice = codes.choice
    hotline_models.new_tracking_code = lambda: "".join([choice(alphabet) for _ in range(length)])
    try:
        # DEBUG off meanwhile: Django would keep every query of the year in connection.queries. The
        # site's language on: what the services write (round titles, statuses in notes) is in it.
        with override_settings(DUBAN_TODAY="", DEBUG=False), translation.override(settings.LANGUAGE_CODE):
            yield sim
    finally:
        timezone.now, hotline_models.new_tracking_code = real_now, real_code

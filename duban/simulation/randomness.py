"""Randomness that depends only on the seed and on what is being decided.

Each decision draws from a generator seeded with (seed, what, key): a
measure's fate depends on the seed and that measure, not on how many other
measures were decided before it. So the same seed gives the same year, and a
smaller slice of the plan gives the same story for the measures it keeps.
"""

from __future__ import annotations

import random


def rng(seed, *key):
    return random.Random("|".join(map(str, (seed, *key))))


class Temperament:
    """How a unit works: diligent units report on time and finish early, chronically late ones do not."""

    KINDS = {
        # kind: (share, measures on time, reports on time, returned, replies on time, bad reviews, rectified on time)
        "diligent": (0.3, 0.95, 0.95, 0.06, 0.97, 0.010, 0.95),
        "steady": (0.4, 0.85, 0.85, 0.12, 0.93, 0.018, 0.90),
        "slow": (0.2, 0.65, 0.65, 0.22, 0.85, 0.025, 0.80),
        "late": (0.1, 0.35, 0.40, 0.30, 0.72, 0.030, 0.65),
    }

    def __init__(self, kind):
        self.kind = kind
        (_, self.measures_on_time, self.reports_on_time, self.returned, self.replies_on_time, self.bad_reviews,
         self.rectified_on_time) = self.KINDS[kind]

    @classmethod
    def draw(cls, generator):
        r, total = generator.random(), 0.0
        for kind, values in cls.KINDS.items():
            total += values[0]
            if r < total:
                return cls(kind)
        return cls("steady")

    def __repr__(self):
        return f"Temperament({self.kind})"

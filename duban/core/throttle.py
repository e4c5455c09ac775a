"""Counting attempts per key and time window, in the database (shared by every worker): one rate limiter.

A Limit names its scope, the setting that says how many attempts a window allows (and its default), and the
window's length; `add(key)` counts one attempt and returns the window's count. The hotline limits its public
form and status look-ups per address and per tracking code (duban.hotline.throttle); the API each token's
requests per minute (duban.api.auth). `prune()` forgets old windows (the hotline's daily tick job).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from . import clock
from .models import Throttle


class Limit:
    def __init__(self, scope: str, setting: str, default: int, seconds: int) -> None:
        self.scope, self.setting, self.default, self.seconds = scope, setting, default, seconds

    @property
    def allowed(self) -> int:
        return int(getattr(settings, self.setting, self.default))

    def window(self, now: datetime.datetime) -> datetime.datetime:
        epoch = int(now.timestamp()) // self.seconds * self.seconds
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)

    def count(self, key: object, now: datetime.datetime | None = None) -> int:
        now = now or clock.now()
        row = Throttle.objects.filter(scope=self.scope, key=str(key)[:100], window_start=self.window(now)).first()
        return row.count if row else 0

    def exceeded(self, key: object, now: datetime.datetime | None = None) -> bool:
        return self.count(key, now) >= self.allowed

    def add(self, key: object, now: datetime.datetime | None = None) -> int:
        """Count one attempt; returns the count in the current window."""
        now = now or clock.now()
        lookup = {"scope": self.scope, "key": str(key)[:100], "window_start": self.window(now)}
        updated = Throttle.objects.filter(**lookup).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    Throttle.objects.create(count=1, **lookup)
            except IntegrityError:  # another request created it meanwhile
                Throttle.objects.filter(**lookup).update(count=F("count") + 1)
        return self.count(key, now)


def prune(now: datetime.datetime | None = None) -> int:
    """Forget windows older than a day; returns how many rows went."""
    now = now or clock.now()
    deleted, _ = Throttle.objects.filter(window_start__lt=now - datetime.timedelta(days=2)).delete()
    return deleted

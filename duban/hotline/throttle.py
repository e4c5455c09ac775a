"""Counting attempts per client and time window, in the database (shared by every worker).

Public intake is limited per IP address; failed status look-ups are limited
per IP address and per tracking code, so that guessing codes or mobile
numbers gets refused long before it could succeed.
"""

import datetime
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from duban.core import clock

from .models import Throttle


def client_ip(request):
    """REMOTE_ADDR, or the Nth address from the right of X-Forwarded-For behind N trusted proxies.

    The same rule as the audit trail's (DUBAN_PROXY_COUNT): addresses further
    left were written by the client and may be forged.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "DUBAN_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class Limit:
    def __init__(self, scope, setting, default, seconds):
        self.scope, self.setting, self.default, self.seconds = scope, setting, default, seconds

    @property
    def allowed(self):
        return int(getattr(settings, self.setting, self.default))

    def window(self, now):
        epoch = int(now.timestamp()) // self.seconds * self.seconds
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)

    def count(self, key, now=None):
        now = now or clock.now()
        row = Throttle.objects.filter(scope=self.scope, key=str(key)[:100], window_start=self.window(now)).first()
        return row.count if row else 0

    def exceeded(self, key, now=None):
        return self.count(key, now) >= self.allowed

    def add(self, key, now=None):
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


HOUR, DAY = 3600, 86400
INTAKE_PER_IP = Limit("intake-ip", "DUBAN_HOTLINE_INTAKE_PER_HOUR", 20, HOUR)
LOOKUP_FAILURES_PER_IP = Limit("lookup-ip", "DUBAN_HOTLINE_LOOKUP_FAILURES_PER_HOUR", 20, HOUR)
LOOKUP_FAILURES_PER_CODE = Limit("lookup-code", "DUBAN_HOTLINE_LOOKUP_FAILURES_PER_CODE", 10, DAY)


def prune(now=None):
    """Forget windows older than a day; returns how many rows went."""
    now = now or clock.now()
    deleted, _ = Throttle.objects.filter(window_start__lt=now - datetime.timedelta(days=2)).delete()
    return deleted

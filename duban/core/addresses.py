"""Where a request comes from: the one rule the audit trail, the log-in lockout (django-axes) and the
hotline's rate limits share."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the Nth address from the right of
    X-Forwarded-For when N trusted proxies (DUBAN_PROXY_COUNT) stand in front.

    Only the entries our own proxies appended are trusted; anything further left
    was sent by the client and may be forged. None when it is not an IP address.
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

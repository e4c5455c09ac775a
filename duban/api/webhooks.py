"""Outgoing webhooks: Duban's events, signed, delivered and retried by `duban tick`.

Apps call duban.core.events.emit(event, payload, region_id) where the event happens; this app
subscribes from its ready(), and a delivery is queued for every active endpoint subscribed to it and sent on the next tick, so a slow
receiver never slows a user's request. Failed deliveries are retried with
exponential back-off (1, 2, 4 … minutes, at most MAX_ATTEMPTS attempts).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.tick import job

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

EVENTS = {
    "measure.overdue": _("measure overdue"),
    "report.submitted": _("progress report submitted"),
    "report.returned": _("progress report returned"),
    "complaint.created": _("complaint received"),
    "complaint.escalated": _("complaint escalated"),
    "complaint.closed": _("complaint closed"),
    "review.bad": _("bad service review received"),
    "visit_problem.routed": _("problem raised on a visit sent to a unit"),
    "visit_problem.answered": _("problem raised on a visit answered"),
    "visit_problem.escalated": _("problem raised on a visit escalated"),
}
MAX_ATTEMPTS = 8
SIGNATURE_HEADER = "X-Duban-Signature"


def queue_deliveries(event, payload, region_id):
    """Queue `event` for every endpoint of the region that wants it. Returns the deliveries created."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event}")
    now = clock.now()
    endpoints = WebhookEndpoint.objects.filter(active=True, region=region_id)
    return [WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload, next_attempt_at=now)
            for endpoint in endpoints if event in endpoint.events]


def sign(secret, body: bytes):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def summary_text(event, payload):
    return f"【督办】{EVENTS[event]}：{payload.get('title') or payload.get('label') or ''} {payload.get('url', '')}".strip()


def build_request(delivery):
    endpoint, now = delivery.endpoint, int(time.time() * 1000)
    url = endpoint.url
    if endpoint.format == WebhookEndpoint.Format.JSON:
        body = json.dumps({"id": delivery.pk, "event": delivery.event, "created_at": delivery.created_at.isoformat(),
                           "data": delivery.payload}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Duban-Event": delivery.event,
                   "X-Duban-Delivery": str(delivery.pk)}
        if endpoint.secret:
            headers[SIGNATURE_HEADER] = sign(endpoint.secret, body)
    else:
        body = json.dumps({"msgtype": "text", "text": {"content": summary_text(delivery.event, delivery.payload)}},
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if endpoint.format == WebhookEndpoint.Format.DINGTALK and endpoint.secret:
            # DingTalk's 加签: HMAC-SHA256 of "timestamp\nsecret", base64, in the query string.
            digest = hmac.new(endpoint.secret.encode(), f"{now}\n{endpoint.secret}".encode(), hashlib.sha256).digest()
            query = urllib.parse.urlencode({"timestamp": now, "sign": base64.b64encode(digest).decode()})
            url += ("&" if "?" in url else "?") + query
    return urllib.request.Request(url, data=body, headers=headers, method="POST")


def attempt(delivery, timeout=5):
    now = clock.now()
    code, error = None, ""
    try:
        with urllib.request.urlopen(build_request(delivery), timeout=timeout) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # noqa: BLE001 — any network failure is logged and retried
        error = str(exc)[:300]
    delivery.attempts += 1
    delivery.last_response_code, delivery.last_error = code, error
    WebhookAttempt.objects.create(delivery=delivery, at=now, response_code=code, error=error)
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + datetime.timedelta(minutes=2 ** (delivery.attempts - 1))
    delivery.save()
    return delivery


@job("webhook-deliveries", title=_("webhook deliveries"))
def deliver_due(now=None):
    now = now or clock.now()
    due = (WebhookDelivery.objects.select_related("endpoint").select_for_update(skip_locked=True)
           .filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")[:200])
    delivered = failed = 0
    for delivery in due:
        attempt(delivery)
        delivered += delivery.status == WebhookDelivery.Status.DELIVERED
        failed += delivery.status != WebhookDelivery.Status.DELIVERED
    return gettext("%(delivered)s delivered, %(failed)s to retry or failed") % {"delivered": delivered,
                                                                                  "failed": failed}

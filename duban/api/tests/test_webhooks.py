"""Webhooks: a receiver on 127.0.0.1 gets signed deliveries, and a retry after a 500."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from duban.api.models import WebhookDelivery, WebhookEndpoint
from duban.api.webhooks import MAX_ATTEMPTS, deliver_due, queue_deliveries
from duban.core import clock, events
from duban.core.models import DEFAULT_REGION_PK, Region
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


class Receiver:
    """A tiny HTTP server that answers with the codes it is told to, recording each request."""

    def __init__(self, codes):
        self.codes, self.requests = list(codes), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    made = []

    def make(codes=()):
        made.append(Receiver(codes))
        return made[-1]

    yield make
    for r in made:
        r.close()


def test_signed_delivery_and_retry_after_500(receiver):
    hook = receiver([500, 200])
    endpoint = WebhookEndpoint.objects.create(region_id=HOME, name="12345平台", url=hook.url, secret="s3cret",
                                              events=["complaint.created"])
    WebhookEndpoint.objects.create(region_id=HOME, name="other", url=hook.url, events=["review.bad"])
    with override_settings(DUBAN_TODAY="2023-10-20T10:00"):
        [delivery] = queue_deliveries("complaint.created", {"title": "投诉 T20230001", "tracking_code": "T20230001"},
                          DEFAULT_REGION_PK)
        deliver_due()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, 500)
        assert delivery.next_attempt_at == clock.now() + datetime.timedelta(minutes=1)

    with override_settings(DUBAN_TODAY="2023-10-20T10:00:30"):
        deliver_due()  # not due yet: back-off
    assert len(hook.requests) == 1
    with override_settings(DUBAN_TODAY="2023-10-20T10:02"):
        deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert [a.response_code for a in delivery.log.all()] == [500, 200]

    path, headers, body = hook.requests[-1]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Duban-Signature"] == expected
    assert headers["X-Duban-Event"] == "complaint.created"
    data = json.loads(body)
    assert data["event"] == "complaint.created" and data["data"]["tracking_code"] == "T20230001"
    assert endpoint.deliveries.count() == 1


def test_gives_up_after_max_attempts(receiver):
    hook = receiver([503] * MAX_ATTEMPTS)
    WebhookEndpoint.objects.create(region_id=HOME, name="down", url=hook.url, events=["report.returned"])
    with override_settings(DUBAN_TODAY="2023-10-20T09:00"):
        [delivery] = queue_deliveries("report.returned", {"label": "1-29"}, DEFAULT_REGION_PK)
    moment = datetime.datetime(2023, 10, 20, 10, 0)
    for i in range(MAX_ATTEMPTS):
        with override_settings(DUBAN_TODAY=(moment + datetime.timedelta(hours=i * 5)).isoformat()):
            deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS


def test_dingtalk_preset_signs_in_the_query(receiver):
    hook = receiver()
    WebhookEndpoint.objects.create(region_id=HOME, name="钉钉群", url=hook.url, format="dingtalk", secret="SEC1",
                                   events=["review.bad"])
    queue_deliveries("review.bad", {"title": "政务大厅3号窗口 不满意"}, DEFAULT_REGION_PK)
    deliver_due()
    path, headers, body = hook.requests[0]
    query = parse_qs(urlparse(path).query)
    assert "timestamp" in query and "sign" in query
    content = json.loads(body)["text"]["content"]
    assert content.startswith("【督办】") and content.endswith("政务大厅3号窗口 不满意")


def test_an_event_emitted_in_core_is_queued_for_the_endpoints_that_want_it():
    wants = WebhookEndpoint.objects.create(region_id=HOME, name="12345平台", url="http://127.0.0.1:9/", events=["report.returned"])
    WebhookEndpoint.objects.create(region_id=HOME, name="other", url="http://127.0.0.1:9/", events=["review.bad"])
    events.emit("report.returned", {"label": "1-29"}, DEFAULT_REGION_PK)
    assert [(d.endpoint, d.event, d.payload) for d in WebhookDelivery.objects.all()] == [
        (wants, "report.returned", {"label": "1-29"})]


def test_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError):
        queue_deliveries("complaint.eaten", {}, DEFAULT_REGION_PK)


def test_an_event_goes_to_its_own_regions_endpoints_only():
    neighbour = Region.objects.create(code="360104", name="青山湖区")
    ours = WebhookEndpoint.objects.create(region_id=HOME, name="本区", url="http://127.0.0.1:9/", events=["review.bad"])
    theirs = WebhookEndpoint.objects.create(name="邻区", url="http://127.0.0.1:9/", events=["review.bad"],
                                            region=neighbour)
    assert [d.endpoint for d in queue_deliveries("review.bad", {"title": "差评"}, neighbour.pk)] == [theirs]
    assert [d.endpoint for d in queue_deliveries("review.bad", {"title": "差评"}, DEFAULT_REGION_PK)] == [ours]

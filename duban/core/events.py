"""Domain events: the app where something happens says so, the apps above it react.

`emit("report.submitted", payload, region_id)` is called by the operation that did it (progress.services);
listeners `subscribe()` from their own AppConfig.ready() — the API queues its signed webhook deliveries and
robot presets (duban.api.webhooks) — so an app never imports the layers that react to it. Listeners run in
the caller's transaction, in the order they subscribed; an exception in one is the caller's exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any], int], object]

_listeners: dict[str, Listener] = {}


def subscribe(name: str, listener: Listener) -> None:
    """Call `listener(event, payload, region_id)` on every event; `name` keeps a re-subscription single."""
    _listeners[name] = listener


def emit(event: str, payload: dict[str, Any], region_id: int) -> None:
    """Tell every listener that `event` happened in the region, with its JSON-serialisable payload."""
    for listener in list(_listeners.values()):
        listener(event, payload, region_id)

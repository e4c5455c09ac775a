"""Who is acting and from where, for the audit trail.

The middleware puts the current request in a context variable; the signal
receivers read it when they record a change. Outside a request (a management
command, `duban tick`) the actor is the command itself.
"""

from __future__ import annotations

import contextvars
import sys

from duban.core.addresses import client_ip

_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("duban_audit", default=None)


class RequestContext:
    def __init__(self, request):
        self.request = request
        # Security events (denials, log-ins, personal-data views) are held here and
        # written after the response, outside the view's transaction: a denial raises
        # PermissionDenied, which rolls back everything the view wrote.
        self.pending = []
        self.denial_recorded = False


def current():
    return _current.get()


def enter(request):
    return _current.set(RequestContext(request))


def leave(token):
    _current.reset(token)


def actor():
    """(user or None, ip or None, source) for the current request or command."""
    ctx = current()
    if ctx is None:
        return None, None, command_source()
    request = ctx.request
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return user, client_ip(request), f"{request.method} {request.get_full_path()}"[:300]


def command_source():
    # `duban import-plan x.txt` → "command: import-plan x.txt"; pytest and the like → their name.
    argv = [a for a in sys.argv[1:] if not a.startswith("--password")]
    prog = sys.argv[0].rsplit("/", 1)[-1] if sys.argv else ""
    if prog in {"duban", "manage.py", "__main__.py"} and argv:
        return ("command: " + " ".join(argv))[:300]
    return f"process: {prog}"[:300]

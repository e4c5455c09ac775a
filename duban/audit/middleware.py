from django.core.exceptions import PermissionDenied

from . import context, trail


class AuditMiddleware:
    """Makes the request's user and address known to the audit trail.

    Security events collected during the request are written after the response,
    outside the view's transaction (ATOMIC_REQUESTS), so they survive a rollback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.enter(request)
        ctx = context.current()
        try:
            return self.get_response(request)
        finally:
            context.leave(token)
            trail.flush(ctx.pending)

    def process_exception(self, request, exception):
        # A denial raised without permissions.require() (which records its own).
        ctx = context.current()
        if isinstance(exception, PermissionDenied) and ctx is not None and not ctx.denial_recorded:
            trail.record_denial(request.user, "", None)

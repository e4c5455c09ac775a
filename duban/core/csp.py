"""Content-Security-Policy header (Django 5.2 has none built in).

Pages load scripts and styles only from our own static files: no inline
<script>, no style="" attributes, no event-handler attributes. On in production
(DUBAN_CSP), so an injected script cannot run even if escaping ever fails.
"""

from django.conf import settings

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "DUBAN_CSP", False):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

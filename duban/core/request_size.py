"""Request bodies over the size limit: answered 413 before anything reads them.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE only when a view (or the CSRF check) reads it,
as a bare 400 — or a 500 in development; nginx refuses over its client_max_body_size with its own page.
This middleware looks at Content-Length first: over DUBAN_MAX_REQUEST_BYTES for a form with files, over
DATA_UPLOAD_MAX_MEMORY_SIZE for anything else, the API answers its JSON error (413, "too_large") and
every other page a short page in the user's language.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _



def limit_for(request):
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return settings.DUBAN_MAX_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request, limit):
    mb = max(limit // (1024 * 1024), 1)
    if request.path.startswith("/api/"):
        # The API's one error shape (duban/api/errors.py), written here: core imports no app above it.
        return JsonResponse({"error": {"code": "too_large", "message": f"The request body is larger than {mb} MB.",
                                       "message_zh": f"请求内容超过 {mb} MB。"}}, status=413)
    message = _("What you sent is larger than %(mb)d MB. Send smaller files, or fewer at a time.") % {"mb": mb}
    return render(request, "request_too_large.html", {"message": message}, status=413)


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = limit_for(request)
        if limit is not None and length > limit:
            return too_large(request, limit)
        return self.get_response(request)

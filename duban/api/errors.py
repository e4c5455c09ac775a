"""Every API error has one shape: {"error": {"code", "message", "message_zh", "details"}}."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status, code, message, message_zh, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.message_zh, self.details = status, code, message, message_zh, details


def body(code, message, message_zh, details=None):
    error = {"code": code, "message": message, "message_zh": message_zh}
    if details is not None:
        error["details"] = details
    return {"error": error}


def install(api):
    """Register handlers so that ninja's own errors use the same shape."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return api.create_response(request, body(exc.code, exc.message, exc.message_zh, exc.details), status=exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, body(
            "unauthenticated", "A valid API token is required (Authorization: Bearer …).",
            "需要有效的接口令牌（Authorization: Bearer …）。"), status=401)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(request, body(
            "invalid", "The request is not valid; see details.", "请求内容不正确，详见 details。", exc.errors), status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, body("not_found", "Not found.", "未找到。"), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, body("forbidden", "Not allowed.", "无权进行此操作。"), status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, body("http_error", str(exc), str(exc)), status=exc.status_code)

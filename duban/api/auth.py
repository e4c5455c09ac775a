"""Bearer-token authentication and per-token rate limits for the REST API."""

from __future__ import annotations

from django.db import transaction
from ninja.security import HttpBearer

from duban.core import clock
from duban.core.throttle import Limit

from .errors import ApiError
from .models import ApiToken, hash_key


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user", "unit").filter(key_hash=hash_key(token)).first()
        if found is None or not found.active:
            return None
        check_rate(found)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.user
        request.api_token = found
        return found


# Requests per token and minute.
PER_TOKEN = Limit("api-token", "DUBAN_API_RATE_PER_MINUTE", 120, 60)


def check_rate(token):
    with transaction.atomic():
        count = PER_TOKEN.add(token.pk)
    if count > PER_TOKEN.allowed:
        raise ApiError(429, "rate_limited", "Too many requests; try again in a minute.", "请求过于频繁，请一分钟后再试。")


def require_write(request):
    if request.api_token.read_only:
        raise ApiError(403, "read_only_token", "This token may only read.", "此令牌只读，不能写入。")

"""Bearer-token authentication and per-token rate limits for the REST API."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from ninja.security import HttpBearer

from duban.core import clock

from .errors import ApiError
from .models import ApiToken, RateWindow, hash_key


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


def check_rate(token):
    limit = getattr(settings, "DUBAN_API_RATE_PER_MINUTE", 120)
    minute = clock.now().replace(second=0, microsecond=0)
    with transaction.atomic():
        updated = RateWindow.objects.filter(token=token, minute=minute).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(token=token, minute=minute, count=1)
            except IntegrityError:
                RateWindow.objects.filter(token=token, minute=minute).update(count=F("count") + 1)
        count = RateWindow.objects.get(token=token, minute=minute).count
    if count > limit:
        raise ApiError(429, "rate_limited", "Too many requests; try again in a minute.", "请求过于频繁，请一分钟后再试。")


def require_write(request):
    if request.api_token.read_only:
        raise ApiError(403, "read_only_token", "This token may only read.", "此令牌只读，不能写入。")

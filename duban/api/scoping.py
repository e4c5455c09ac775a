"""What an API caller may reach: its user's rights, narrowed by the token."""

from typing import Annotated

from django.db.models import Q
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

from duban.accounts.permissions import scope_for, scope_measures

from .errors import ApiError

# Database ids: positive and within a 64-bit column, so absurd numbers are a 422, not a database error.
Id = Annotated[int, Field(gt=0, le=2**63 - 1)]


def require_action(request, action):
    if scope_for(request.user, action) is None:
        raise ApiError(403, "forbidden", "This token's user may not do this.", "该令牌的用户无权进行此操作。")


def measures_for(request, action, queryset, prefix=""):
    queryset = scope_measures(request.user, action, queryset, prefix)
    unit = request.api_token.unit_id
    if unit:
        queryset = queryset.filter(
            Q(**{f"{prefix}lead_units": unit}) | Q(**{f"{prefix}cooperating_units": unit})).distinct()
    return queryset


class Pages(LimitOffsetPagination):
    """limit/offset pages: at most 500 rows, and offsets a database can count to (not 10**27)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)

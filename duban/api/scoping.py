"""What an API caller may reach: its user's rights, narrowed by the token."""

from django.db.models import Q

from duban.accounts.permissions import scope_for, scope_measures

from .errors import ApiError


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

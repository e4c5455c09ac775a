"""The start page: where each role begins its day."""

from django.shortcuts import redirect

from .models import Role


def home(request):
    """Where each role starts its day: units in their ledger, leaders on their page, the office on the plan."""
    role = request.user.role if not request.user.is_superuser else Role.ADMIN
    if role in (Role.REPORTER, Role.UNIT_HEAD, Role.COOPERATOR) and request.user.unit_id:
        return redirect("progress:home")
    if role == Role.LEADER and request.user.leader_id:
        return redirect("supervision:leaders")
    return redirect("plans:overview")

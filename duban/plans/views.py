from django.shortcuts import render

from .models import Plan


def overview(request):
    return render(request, "plans/overview.html", {"plans": Plan.objects.all()})

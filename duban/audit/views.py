"""The audit trail's search page, for the office and administrators."""

from django.shortcuts import render

from duban.accounts.permissions import get_in_region_or_404, require
from duban.core.models import sees_every_region
from duban.core.paging import BoundedPaginator

from .forms import SearchForm
from .models import Entry

PER_PAGE = 50


def search(request):
    require(request.user, "audit.view")
    form = SearchForm(request.GET or None)
    entries = Entry.objects.all() if sees_every_region(request.user) else Entry.objects.filter(
        region_pk=request.user.region_id)
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    page = BoundedPaginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


def entry(request, pk):
    require(request.user, "audit.view")
    return render(request, "audit/entry.html", {"entry": get_in_region_or_404(request.user, Entry, pk=pk)})

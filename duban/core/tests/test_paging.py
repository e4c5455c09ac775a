"""BoundedPaginator: exact pages up to its bound, "more than N" and next-page links beyond it, and a count
query that never reads more than bound + 1 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.audit.models import Entry
from duban.core.paging import BoundedPaginator

pytestmark = pytest.mark.django_db


def entries(n):
    Entry.objects.bulk_create([Entry(action="view", model="paging.test", object_repr=f"e{i}") for i in range(n)])
    return Entry.objects.filter(model="paging.test").order_by("pk")  # whatever other tests left in the trail


def test_exact_up_to_the_bound():
    paginator = BoundedPaginator(entries(25), 10, bound=30)
    assert paginator.exact and paginator.count == 25 and paginator.num_pages == 3
    last = paginator.get_page(99)
    assert last.number == 3 and len(last.object_list) == 5 and not last.has_next()
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(2).has_next() and paginator.get_page(2).end_index() == 20


def test_beyond_the_bound_pages_on_without_a_total():
    paginator = BoundedPaginator(entries(45), 10, bound=20)
    assert not paginator.exact and paginator.count == 21
    fourth = paginator.get_page(4)  # past what the bound numbers, still reachable
    assert [e.object_repr for e in fourth.object_list] == [f"e{i}" for i in range(30, 40)]
    assert fourth.has_next() and fourth.has_previous()
    fifth = paginator.get_page(5)
    assert len(fifth.object_list) == 5 and not fifth.has_next()
    assert paginator.get_page(6).number == 1, "past the end, without a total: back to the first page"
    assert paginator.get_page(0).number == 1


def test_the_count_is_bounded_in_sql():
    queryset = entries(30)
    with CaptureQueriesContext(connection) as queries:
        assert BoundedPaginator(queryset, 10, bound=20).count == 21
    assert len(queries) == 1 and "LIMIT 21" in queries[0]["sql"].upper()

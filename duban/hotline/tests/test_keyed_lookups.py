"""Looking an event up by its key, or a review by its platform number, goes through the unique index on it.

Both indexes are partial (most events have no key; reviews typed in have no number), and a database uses a
partial index only when the query states the index's condition: `key = …` alone made SQLite read all of a
province's 4.8 million events once per open complaint at every `duban tick`.
"""

import pytest
from django.db import connection, transaction

from duban.hotline.models import Event, Review


@pytest.mark.django_db
@pytest.mark.parametrize("queryset, index", [
    (lambda: Event.objects.with_key("hotline:complaint:1:contact1:202310200900:red"), "hotline_event_key_once"),
    (lambda: Review.objects.with_references(["HCP-1-00000001", ""], 1), "hotline_review_ref_once_per_unit"),
])
def test_the_lookup_uses_the_partial_unique_index(queryset, index):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # empty tables: make the planner show whether it could
                cursor.execute("SET LOCAL enable_seqscan = off")
        # Unordered, as exists() asks: ordered, an empty table's plan may walk the time index instead.
        plan = queryset().order_by().explain()
    assert index in plan, plan


@pytest.mark.django_db
def test_the_lookups_find_what_they_look_for(file_complaint, units):
    complaint = file_complaint()
    Event.objects.create(complaint=complaint, kind=Event.Kind.OVERDUE, at=complaint.received_at,
                         key="hotline:complaint:x:red")
    assert Event.objects.with_key("hotline:complaint:x:red").count() == 1
    assert not Event.objects.with_key("hotline:complaint:y:red").exists()
    assert not Event.objects.with_key("").exists()  # the complaint's own events have no key
    fields = dict(unit=units["scjg"], matter="食品经营许可", level=5, reviewed_at=complaint.received_at)
    review = Review.objects.create(external_ref="HCP-1-00000001", **fields)
    Review.objects.create(external_ref="", **fields)
    assert list(Review.objects.with_references(["HCP-1-00000001", "", "HCP-9"], units["scjg"].region_id)) == [review]

"""A province build drops the hotline indexes it does not read and creates them again, however it ends."""

import pytest
from django.db import connection

from duban.hotline.models import Complaint
from duban.simulation.indexes import TABLES, deferred_indexes


def indexes():
    with connection.cursor() as cursor:
        return {(model._meta.db_table, name, tuple(info["columns"]), info["unique"])
                for model in TABLES
                for name, info in connection.introspection.get_constraints(cursor, model._meta.db_table).items()
                if info["index"]}


def names():
    return {name for _table, name, _columns, _unique in indexes()}


@pytest.mark.django_db
def test_the_indexes_come_back_as_they_were():
    before = indexes()
    with deferred_indexes() as dropped:
        during = names()
    assert indexes() == before
    # Time-ordered and random-valued indexes go; unique ones and those the build reads through stay.
    assert {"hotline_complaint_received", "hotline_complaint_credit", "hotline_review_time"} <= set(dropped)
    assert not set(dropped) & during
    assert {"hotline_event_key_once", "hotline_review_ref_once"} <= during
    kept_columns = {columns[0] for table, name, columns, _unique in before if name in during}
    assert {"region_id", "complaint_id", "lead_unit_id"} <= kept_columns


@pytest.mark.django_db
def test_the_indexes_come_back_when_the_build_fails():
    before = indexes()
    with pytest.raises(ZeroDivisionError), deferred_indexes():
        Complaint.objects.count()
        1 / 0
    assert indexes() == before


@pytest.mark.django_db
def test_timings_name_the_index_builds():
    timings = {}
    with deferred_indexes(timings):
        pass
    assert set(timings) == {"create the deferred indexes"}

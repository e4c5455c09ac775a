"""Indexes a province build does not read, dropped while it writes and created once at the end.

A province writes half a million complaints, a million reviews and five million events. Each row
goes into every index of its table, and most of those indexes are on values that fall anywhere in
them (a receipt time across the whole year, a credit code): kept up row by row, nearly every insert
reads an index page back from the file. Built at the end, an index is one sort.

The indexes that stay are those the build itself reads through — a district's rounds, meetings and
circulars find their complaints, reviews and events by unit, category, region and parent — and the
unique ones, which keep the rows honest while they are written.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import connection

from duban.hotline.models import Complaint, Event, Rectification, Review

TABLES = (Complaint, Review, Event, Rectification)
# Columns whose single-column and leading indexes the build reads through.
KEPT_COLUMNS = {"region_id", "category_id", "lead_unit_id", "unit_id", "complaint_id", "rectification_id", "review_id"}
# Composite indexes led by a kept column that the build does not need either (ordering by time).
DEFERRED_NAMES = {"hotline_complaint_unit_due", "hotline_complaint_unit_recv", "hotline_complaint_cat_recv",
                  "hotline_review_unit_time"}


def deferrable(model):
    """[(name, CREATE INDEX statement)] of `model`'s indexes that the build can do without."""
    table = model._meta.db_table
    found = []
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        definitions = _definitions(cursor, table)
    for name, info in constraints.items():
        if not info["index"] or info["unique"] or info["primary_key"] or name not in definitions:
            continue
        if info["columns"][0] in KEPT_COLUMNS and name not in DEFERRED_NAMES:
            continue
        found.append((name, definitions[name]))
    return sorted(found)


def _definitions(cursor, table):
    if connection.vendor == "postgresql":
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
    else:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL", [table])
    return dict(cursor.fetchall())


@contextmanager
def deferred_indexes(timings=None):
    """Drop the deferrable indexes of the big tables, and create them again however the block ends."""
    dropped = [index for model in TABLES for index in deferrable(model)]
    qn = connection.ops.quote_name
    _run([f"DROP INDEX {qn(name)}" for name, _ in dropped])
    try:
        yield [name for name, _ in dropped]
    finally:
        started = time.process_time()
        _run([statement for _, statement in dropped])
        if timings is not None:
            timings["create the deferred indexes"] = time.process_time() - started


def _run(statements):
    with connection.cursor() as cursor:
        # Inside a transaction (a test's), PostgreSQL refuses to change a table's indexes while its deferred
        # foreign-key checks are pending: they are made now, and deferred again afterwards.
        checks_pending = connection.vendor == "postgresql" and connection.in_atomic_block
        if checks_pending:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if checks_pending:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

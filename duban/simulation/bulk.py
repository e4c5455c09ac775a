"""The writer that writes, in batches, the rows the services would write one by one.

A province is 500,000 complaints and a million reviews: a few queries per
step would take hours. This writer keeps the year's objects in memory and
calls the same transitions the services call — the models' methods
(ProgressReport's edit, add_evidence, contribute, ask_approval, submit, accept,
return_for_correction; Complaint's steps and escalate(), Rectification's and
Appeal's; MetricValue.report), which change the objects in
memory and say which rows to write (duban.core.writes) — with the stored
deadlines remembered (deadlines.py), and inserts or updates the rows in bulk. It
flushes before anything that reads the database — a reporting round opens
(it must see which measures are done), a dispatch meeting drafts its agenda,
a circular computes its figures — and those steps call the real services.

What it leaves out, on purpose: notifications and group-robot messages (nobody
is told about the past), webhook deliveries, the audit trail (nobody changed
anything: the rows were generated) and auto_now timestamps, which carry the
moment of the flush rather than of the step. tests/test_simulation.py plays
the same story through both writers and checks that the rest is identical.
"""

from __future__ import annotations

import datetime
import time
from contextlib import nullcontext

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction

from duban.core import clock
from duban.hotline import clocks
from duban.hotline import models as hotline_models
from duban.hotline.models import Appeal, Complaint, Event, Extension, Rectification, Review
from duban.kpi.models import MetricValue, ValueRevision
from duban.plans.models import Measure
from duban.progress.models import Contribution, Evidence, ProgressReport, ReportVersion
from duban.progress.services import refresh_tallies

from .deadlines import Deadlines
from .played import PlayedWriter

BATCH = 2000
# Event's columns in the order of its fields, as _insert_events() writes them.
EVENT_COLUMNS = ("id", "complaint_id", "rectification_id", "kind", "at", "actor_id", "unit_id", "note", "data", "key")


def as_read(moment):
    """A moment as the database gives it back (in UTC)."""
    return moment.astimezone(datetime.UTC)


PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def reserve_ids(model, count):
    """`count` primary keys for new rows, taken from the table's sequence as an insert would."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite (AUTOINCREMENT): inside the simulation's write transaction nobody else inserts.
        cursor.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = %s", [table])
        last = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT max({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(table)}")
        last = max(last, cursor.fetchone()[0] or 0)
        return list(range(last + 1, last + 1 + count))


class Moments:
    """DateTimeField values as SQLite takes them (what adapt_datetimefield_value() does: UTC, naive, as text),
    remembered. A district's rows carry the same moments over and over (a complaint's receipt in its row and
    its events, its row again at each update), and a look-up costs a tenth of formatting one."""

    LIMIT = 200_000

    def __init__(self):
        self.memo = {}

    def __call__(self, value):
        text = self.memo.get(value)
        if text is None:
            if len(self.memo) > self.LIMIT:
                self.memo.clear()
            # str() of the UTC moment less its "+00:00": the naive UTC text, without building a naive copy.
            text = self.memo[value] = str(value.astimezone(datetime.UTC))[:-6]
        return text


def converter(field, moments=None):
    """A function turning an attribute value into what the database driver takes (None: as it is)."""
    if isinstance(field, PLAIN):
        return None
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":
            return moments or Moments()
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


class Table:
    """INSERTs of a model's rows by executemany: converters only for the fields that need them."""

    def __init__(self, model, moments=None):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.auto = [f for f in self.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self.relations = [f for f in self.fields if f.is_relation]
        self.converters = [converter(f, moments) for f in self.fields]
        # Only the columns that need converting are visited, row by row.
        self.converted = [(i, c) for i, c in enumerate(self.converters) if c is not None]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        qn = connection.ops.quote_name
        self.sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in self.fields)}) "
                    f"VALUES ({', '.join(['%s'] * len(self.fields))})")
        assert self.fields[0].primary_key
        self.update_sql = (f"UPDATE {qn(model._meta.db_table)} SET "
                           f"{', '.join(f'{qn(f.column)} = %s' for f in self.fields[1:])} "
                           f"WHERE {qn(model._meta.pk.column)} = %s")

    def insert(self, objects):
        """Insert model instances, giving them their primary keys."""
        for obj, pk in zip(objects, reserve_ids(self.model, len(objects))):
            obj.pk = pk
            for field in self.auto:
                field.pre_save(obj, True)
            for field in self.relations:
                # A parent saved after the child was made: take its id now, as save() would.
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    parent = field.get_cached_value(obj)
                    # Straight into __dict__: setattr() would drop the cached parent, and its in-memory state.
                    obj.__dict__[field.attname] = parent.pk if parent is not None else None
            obj._state.adding, obj._state.db = False, "default"
        names = [f.attname for f in self.fields]
        self.execute([[obj.__dict__[name] for name in names] for obj in objects])

    def update(self, objects):
        """UPDATE every field of `objects`, which are in the database already."""
        if not objects:
            return
        names = [f.attname for f in self.fields]
        rows = []
        for obj in objects:
            for field in self.auto:
                field.pre_save(obj, False)
            values = obj.__dict__
            row = [values[name] for name in names]
            # The primary key goes last, for the WHERE clause.
            row.append(row[0])
            rows.append(row)
        self.convert(rows)
        with connection.cursor() as cursor:
            cursor.executemany(self.update_sql, [row[1:] for row in rows])

    def convert(self, rows):
        """Convert, in place, the values of rows in field order that the driver does not take as they are."""
        converted = self.converted
        for row in rows:
            for i, convert in converted:
                value = row[i]
                if value is not None:
                    row[i] = convert(value)
        return rows

    def execute(self, rows, converted=False):
        """Insert rows of attribute values in field order (the primary key first, reserved by the caller)."""
        if not converted:
            self.convert(rows)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH * 5):
                cursor.executemany(self.sql, rows[start:start + BATCH * 5])


class Blank:
    """New model instances made the way Model.from_db() makes them, positionally: a related object given by its
    field's name becomes its id and the cached object. Django's keyword path costs a descriptor call and a
    router check per relation, which a province's half a million complaints feel."""

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.defaults = [f.get_default() for f in fields]
        self.computed = [(i, f) for i, f in enumerate(fields) if f.has_default() and callable(f.default)]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.relations = {f.name: (self.index[f.attname], f) for f in fields if f.is_relation}

    def __call__(self, **values):
        args = self.defaults.copy()
        for i, field in self.computed:
            if field.attname not in values:
                args[i] = field.get_default()
        cached = []
        for name, value in values.items():
            relation = self.relations.get(name)
            if relation is None:
                args[self.index[name]] = value
            else:
                args[relation[0]] = value.pk if value is not None else None
                cached.append((relation[1], value))
        obj = self.model(*args)
        for field, value in cached:
            field.set_cached_value(obj, value)
        return obj


class SimReview:
    """A review written in bulk: what the later steps need of it, and its id once inserted."""

    __slots__ = ("pk", "unit", "level", "rectification", "appealed")

    def __init__(self, unit, level):
        self.pk, self.unit, self.level, self.rectification, self.appealed = None, unit, level, None, False

    @property
    def is_bad(self):
        return self.level in Review.BAD_LEVELS


class BulkWriter(PlayedWriter):
    """Reporting rounds, meetings and circulars go through the services (PlayedWriter); the rest is batched."""

    # Insert order: a row's parents first.
    ORDER = (Complaint, Review, Rectification, Appeal, Extension, Evidence, ReportVersion, Contribution, Event,
             ProgressReport, Measure, MetricValue, ValueRevision)

    def __init__(self, timings=None, deadlines=None, turn=None):
        # Seconds spent writing rows and in the services, for BENCHMARKS.md's "where time goes".
        self.timings = timings if timings is not None else {}
        # With --jobs, the processes take turns at the database (a lock around each flush and service): on
        # SQLite a province's flush can hold the write lock longer than the other process's busy timeout.
        self.turn = turn or nullcontext()
        self.pending = {model: {} for model in self.ORDER}
        self.cooperating = {}  # complaint → unit ids, when changed since the last flush
        self.open_complaints = {}
        self.open_rectifications = {}
        self.recorded = set()  # keys of the periodic checks' events
        self.evidence, self.contributions, self.versions, self.latest = {}, {}, {}, {}
        self.completed, self.done = {}, {}  # measure id → the day completed (to write; written or not)
        self.metric_values = {}
        self.rows = 0
        self.events, self.reviews, self.tables = [], [], {}
        self.moments = Moments()
        self.new_complaint = Blank(Complaint)
        self.encoded_details = {}
        self.deadlines = deadlines or Deadlines()

    def touch(self, obj):
        self.pending[type(obj)][id(obj)] = obj
        return obj

    def now(self):
        # The simulated moment: clockwork.py stands duban.core.clock there.
        return clock.stamp()

    # ------------------------------------------------------------ flushing

    def flush(self):
        started = time.process_time()
        with self.turn, transaction.atomic():
            self._flush()
        self._time("write rows (bulk inserts and updates)", started)

    def _service(self, call, *args, flush=True, **kwargs):
        """A step that the domain's service takes; flushed first when it reads what came before it."""
        with self.turn:
            if flush:
                self.flush()
            started = time.process_time()
            result = call(*args, **kwargs)
            self._time("rounds, meetings, circulars (services)", started)
        return result

    def _time(self, what, started):
        self.timings[what] = self.timings.get(what, 0) + time.process_time() - started

    def _flush(self):
        pending = {model: list(objs.values()) for model, objs in self.pending.items()}
        for objs in self.pending.values():
            objs.clear()
        for model in self.ORDER:
            if model is Event:
                self._insert_events()
                continue
            if model is Review:
                self._insert_reviews()
                continue
            objs = pending[model]
            if not objs:
                continue
            new = [o for o in objs if o.pk is None]
            if model in (Rectification, Appeal):
                for obj in new:
                    obj.review_id = obj.sim_review.pk
            if model is ReportVersion:
                for version in new:
                    version.fill_data()  # the evidence rows have their ids now
            new_ids = {id(o) for o in new}
            if new:
                self.table(model).insert(new)
            self.table(model).update([o for o in objs if id(o) not in new_ids])
            self.rows += len(objs)
        if self.cooperating:
            through = Complaint.cooperating_units.through
            through.objects.filter(complaint__in=[c.pk for c, _ in self.cooperating.values()]).delete()
            through.objects.bulk_create(
                (through(complaint_id=c.pk, unit_id=u) for c, units in self.cooperating.values() for u in units),
                batch_size=BATCH)
            self.cooperating = {}
        if pending[ProgressReport]:
            # The reports' states were written around the services: count their rounds' tallies afresh.
            refresh_tallies(sorted({report.round_id for report in pending[ProgressReport]}))
        if self.completed:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {Measure._meta.db_table} SET completed_on = %s WHERE id = %s",
                    [(connection.ops.adapt_datefield_value(day), pk) for pk, day in self.completed.items()])
            self.completed = {}

    def table(self, model):
        if model not in self.tables:
            self.tables[model] = Table(model, self.moments)
        return self.tables[model]

    def _insert_events(self):
        """Events are never changed once written: they are kept as plain values, not model instances."""
        if not self.events:
            return
        table = self.table(Event)
        assert [f.attname for f in table.fields] == list(EVENT_COLUMNS), "Event's fields changed: see EVENT_COLUMNS"
        moment, details = table.converters[EVENT_COLUMNS.index("at")], table.converters[EVENT_COLUMNS.index("data")]
        # Most details are one of a few: {"channel": "web"}, {"satisfied": true} … encoded once each (by kind
        # too: True and 1 are equal keys, and a kind's details always hold the same types).
        encoded = self.encoded_details
        rows = []
        for pk, (complaint, rectification, kind, at, actor, unit, note, data, key_parts) in zip(
                reserve_ids(Event, len(self.events)), self.events):
            key = f"hotline:{key_parts[0]}:{key_parts[1].pk}:{key_parts[2]}" if key_parts else ""
            data = {k: (v.pk if isinstance(v, models.Model) else v) for k, v in data.items()}
            try:
                items = (kind, *data.items())
                data = encoded.get(items) or encoded.setdefault(items, details(data))
            except TypeError:  # a list among the values
                data = details(data)
            rows.append((pk, complaint.pk if complaint else None, rectification.pk if rectification else None, kind,
                         moment(at), actor.pk if actor else None, unit.pk if unit else None, note, data, key))
        table.execute(rows, converted=True)
        self.rows += len(rows)
        self.events = []

    # ------------------------------------------------------------- progress

    def open_round(self, plan, period, opened_on, user):
        return self._service(super().open_round, plan, period, opened_on, user)

    def write(self, writes):
        """A transition's rows (duban.core.writes), held back for the next flush."""
        for obj in writes:
            if isinstance(obj, Measure):
                self.completed[obj.pk] = obj.completed_on
            else:
                self.touch(obj)
        return writes

    def save_draft(self, report, user, content):
        self.write(report.edit(user, content, self.now()))

    def add_evidence(self, report, user, name, data):
        writes = report.add_evidence(user, SimpleUploadedFile(name, data, "application/pdf"))
        self.evidence.setdefault(report.pk, []).extend(self.write(writes))

    def contribute(self, report, user, text):
        contributions = self.contributions.setdefault(report.pk, {})
        # The engine has cooperating units contribute (the service asks the measure).
        contribution, writes = report.contribute(user, text, cooperating=True,
                                                 contribution=contributions.get(user.unit_id))
        contributions[user.unit_id] = contribution
        self.write(writes)

    def request_approval(self, report, user):
        self.write(report.ask_approval(self.now()))

    def submit(self, report, user):
        contributions = sorted(self.contributions.get(report.pk, {}).values(), key=lambda c: c.unit.name)
        writes = self.write(report.submit(user, self.now(), evidence=self.evidence.get(report.pk, []),
                                          contributions=contributions, number=self.versions.get(report.pk, 0) + 1))
        [self.latest[report.pk]] = writes.created(ReportVersion)
        self.versions[report.pk] = self.latest[report.pk].number

    def _measure(self, report):
        # Each round's reports hold their own copy of the measure: the one completed already says so.
        if report.measure_id in self.done:
            report.measure.completed_on = self.done[report.measure_id]
        return report.measure

    def accept(self, report, user, comment):
        self._measure(report)
        self.write(report.accept(user, comment, self.now(), version=self.latest[report.pk]))
        if report.measure.completed_on is not None:
            self.done[report.measure_id] = report.measure.completed_on

    def return_for_correction(self, report, user, comment):
        self.write(report.return_for_correction(user, comment, self.now(), version=self.latest[report.pk]))

    # ----------------------------------------------------------- complaints

    def _event(self, kind, *, complaint=None, rectification=None, actor=None, at=None, unit=None, note="", data=None,
               key_parts=None):
        self.events.append((complaint, rectification, kind, at or self.now(), actor, unit, note, data or {},
                            key_parts))

    def _hotline_rows(self, writes):
        """A complaint's or a rectification's step (duban.core.writes), held back for the next flush."""
        for obj in writes:
            if isinstance(obj, Event):
                self._event(obj.kind, complaint=obj.complaint, rectification=obj.rectification, actor=obj.actor,
                            at=obj.at, unit=obj.unit, note=obj.note, data=obj.data)
            else:
                self.touch(obj)
        for complaint, _name, units in writes.links:
            self.cooperating[id(complaint)] = (complaint, [unit.pk for unit in units])
        return writes

    def receive(self, *, received_at, recorded_by=None, **fields):
        complaint = self.new_complaint(received_at=received_at, form_token=None, **fields)
        complaint.tracking_code = hotline_models.new_tracking_code()
        complaint.deadline_rules, complaint.known_extensions, complaint.cooperating = self.deadlines, [], []
        self._hotline_rows(complaint.receive(recorded_by))
        self.open_complaints[id(complaint)] = complaint
        return complaint

    def contact(self, complaint, user, note):
        self._hotline_rows(complaint.contact(user, self.now(), note=note))

    def classify(self, complaint, user, difficulty):
        self._hotline_rows(complaint.classify(user, self.now(), difficulty=difficulty))

    def assign(self, complaint, user, unit, cooperating):
        self._hotline_rows(complaint.assign(user, self.now(), lead_unit=unit, cooperating_units=cooperating))

    def transfer(self, complaint, user, unit, reason):
        self._hotline_rows(complaint.transfer(user, self.now(), to_unit=unit, reason=reason,
                                                cooperating_units=complaint.cooperating))

    def start(self, complaint, user):
        self._hotline_rows(complaint.start(user, self.now()))

    def return_to_office(self, complaint, user, reason):
        self._hotline_rows(complaint.return_to_office(user, self.now(), reason=reason))

    def request_extension(self, complaint, user, workdays, reason):
        writes = complaint.request_extension(user, self.now(), workdays=workdays, reason=reason)
        return self._hotline_rows(writes).created(Extension)[0]

    def decide_extension(self, extension, user, approve, note):
        # The service decides on the extension read back from the database: its deadlines in UTC.
        extension.old_due, extension.new_due = as_read(extension.old_due), as_read(extension.new_due)
        self._hotline_rows(extension.complaint.decide_extension(extension, user, self.now(), approve=approve,
                                                                  note=note))

    def reply(self, complaint, user, text, resolution):
        self._hotline_rows(complaint.reply(user, self.now(), text=text, resolution=resolution))

    def callback(self, complaint, user, satisfied, note, reopen=None):
        self._hotline_rows(complaint.callback(user, self.now(), satisfied=satisfied, note=note, reopen=reopen))
        if not complaint.is_open:
            self.open_complaints.pop(id(complaint), None)

    def tick(self, moment, reminders):
        """The "hotline-escalations" job (duban.hotline.escalation) over the complaints in memory."""
        horizon = clocks.escalation_horizon(moment)  # the rows escalation.escalate's query reads
        for kind, rows, due in (("complaint", self.open_complaints, "next_due"),
                                ("rectification", self.open_rectifications, "due_at")):
            for row in list(rows.values()):
                if getattr(row, due) is None or getattr(row, due) > horizon:
                    continue
                events, newly = row.escalate(moment)
                for suffix, event in events:
                    self._once((kind, row, suffix), event)
                if newly:
                    self.touch(row)

    def _once(self, key_parts, event):
        """The periodic check's event, recorded once per key (hotline:<kind>:<id>:<suffix>)."""
        kind_name, subject, suffix = key_parts
        marker = (kind_name, id(subject), suffix)
        if marker in self.recorded:
            return
        self.recorded.add(marker)
        self._event(event.kind, complaint=event.complaint, rectification=event.rectification, at=event.at,
                    unit=event.unit, data=event.data, key_parts=key_parts)

    # -------------------------------------------------------------- reviews

    def review(self, **fields):
        now = self.now()
        review = SimReview(fields["unit"], fields["level"])
        row = dict(self.table(Review).defaults, entered_at=now, **{k: v for k, v in fields.items() if k != "unit"})
        row["unit_id"] = review.unit.pk
        self.reviews.append((review, row))
        if review.is_bad:
            writes = Rectification.open_for(None, now, unit=review.unit, deadline_rules=self.deadlines)
            [rectification] = writes.created(Rectification)
            rectification.sim_review, rectification.deadline_rules = review, self.deadlines
            review.rectification = rectification
            self.open_rectifications[id(rectification)] = rectification
            self._hotline_rows(writes)
        return review

    def _insert_reviews(self):
        """Reviews are never changed once written: plain values, ids given here for their rectifications."""
        if not self.reviews:
            return
        table = self.table(Review)
        rows = []
        for pk, (review, row) in zip(reserve_ids(Review, len(self.reviews)), self.reviews):
            review.pk = row["id"] = pk
            rows.append([row[f.attname] for f in table.fields])
        table.execute(rows)
        self.rows += len(rows)
        self.reviews = []

    def _rectification_rows(self, writes, rectification):
        self._hotline_rows(writes)
        if rectification.state in (Rectification.State.OPEN, Rectification.State.SUBMITTED):
            self.open_rectifications[id(rectification)] = rectification
        else:
            self.open_rectifications.pop(id(rectification), None)

    def appeal(self, review, user, reason):
        writes = Appeal.file(review, user, self.now(), reason=reason, appealed_before=review.appealed)
        [appeal] = writes.created(Appeal)
        appeal.sim_review, review.appealed = review, True
        self._hotline_rows(writes)
        return appeal

    def decide_appeal(self, appeal, user, uphold, note):
        rectification = appeal.sim_review.rectification
        self._rectification_rows(appeal.decide(user, self.now(), uphold=uphold, note=note,
                                               rectification=rectification), rectification)

    def rectify(self, review, user, action_taken):
        rectification = review.rectification
        self._rectification_rows(rectification.submit(user, self.now(), action_taken=action_taken), rectification)

    def send_back(self, review, user, note):
        rectification = review.rectification
        self._rectification_rows(rectification.send_back(user, self.now(), note=note), rectification)

    def accept_rectification(self, review, user):
        rectification = review.rectification
        self._rectification_rows(rectification.accept(user, self.now()), rectification)

    def rectification_callback(self, review, user, satisfied, note):
        rectification = review.rectification
        self._rectification_rows(rectification.callback(user, self.now(), satisfied=satisfied, note=note),
                                 rectification)

    # ---------------------------------------------------------- supervision

    def meeting(self, *args, **kwargs):
        return self._service(super().meeting, *args, **kwargs)

    def decide(self, item, decision, actions):
        self._service(super().decide, item, decision, actions)

    def circular(self, *args, **kwargs):
        self._service(super().circular, *args, **kwargs)

    def confirm_metric(self, proposal, metric, user):
        return self._service(super().confirm_metric, proposal, metric, user, flush=False)

    def discard_proposal(self, proposal, user):
        self._service(super().discard_proposal, proposal, user, flush=False)

    # ------------------------------------------------------------------ kpi

    def report_value(self, metric, user, period, value, note):
        """kpi.services.report_value() on values held in memory (the metrics are the simulation's own)."""
        entry, writes = MetricValue.report(metric, user, period, self.now(), value=value, note=note,
                                           entry=self.metric_values.get((metric.pk, period.label)))
        self.metric_values[metric.pk, period.label] = entry
        for obj in writes:
            self.touch(obj)

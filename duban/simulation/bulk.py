"""The writer that writes, in batches, the rows the services would write one by one.

A province is 500,000 complaints and a million reviews: a few queries per
step would take hours. This writer keeps the year's objects in memory, makes
each step's changes the way the service does (same transition checks from the
models, same stored deadlines from duban.hotline.clocks and the calendar,
same events, same version snapshots) and inserts or updates them in bulk. It
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

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.permissions import can
from duban.core import clock
from duban.hotline import clocks
from duban.hotline import models as hotline_models
from duban.hotline.models import Appeal, Complaint, Event, Extension, IllegalTransition, Rectification, Review
from duban.kpi.models import MetricValue, ValueRevision
from duban.plans.models import Measure
from duban.progress.evidence import check_evidence
from duban.progress.models import Contribution, Evidence, ProgressReport, ReportVersion, TransitionError
from duban.progress.services import refresh_tallies

from .deadlines import Deadlines
from .played import PlayedWriter

State = Complaint.State
BATCH = 2000
# Event's columns in the order of its fields, as _insert_events() writes them.
EVENT_COLUMNS = ("id", "complaint_id", "rectification_id", "kind", "at", "actor_id", "unit_id", "note", "data", "key")


def utc_iso(moment):
    return moment.astimezone(datetime.UTC).isoformat()


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

    __slots__ = ("pk", "unit", "level", "rectification")

    def __init__(self, unit, level):
        self.pk, self.unit, self.level, self.rectification = None, unit, level, None

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
        self.completed, self.done = {}, set()
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
                    content, evidence, contributions = version.snapshot
                    version.data = {**content, "evidence": [{"id": e.pk, "name": e.original_name, "size": e.size}
                                                            for e in evidence], "contributions": contributions}
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

    def save_draft(self, report, user, content):
        if not report.is_editable:
            raise TransitionError(_("This report is %(status)s and can no longer be edited.")
                                  % {"status": report.get_status_display()})
        for name in ProgressReport.CONTENT_FIELDS:
            if name in content:
                setattr(report, name, content[name])
        if content.get("progress") == ProgressReport.Progress.COMPLETED:
            report.percent = 100
        report.version += 1
        report.edited_at, report.edited_by = self.now(), user
        self.touch(report)

    def add_evidence(self, report, user, name, data):
        upload = SimpleUploadedFile(name, data, "application/pdf")
        checked = check_evidence(upload)
        evidence = Evidence(report=report, original_name=checked.name, kind=checked.kind,
                            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                            uploaded_by=user)
        evidence.file.save(checked.name, upload, save=False)
        self.evidence.setdefault(report.pk, []).append(self.touch(evidence))

    def contribute(self, report, user, text):
        contributions = self.contributions.setdefault(report.pk, {})
        contribution = contributions.get(user.unit_id) or Contribution(report=report, unit=user.unit)
        contribution.text, contribution.author = text.strip(), user
        contributions[user.unit_id] = self.touch(contribution)

    def request_approval(self, report, user):
        report.approval_requested_at = self.now()
        self.touch(report)

    def submit(self, report, user):
        evidence = self.evidence.get(report.pk, [])
        if not report.is_editable:
            raise TransitionError(f"report {report.pk} is {report.status}")
        problems = report.submission_problems(len(evidence))
        if problems:
            raise TransitionError(problems)
        now = self.now()
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at, report.submitted_by = now, user
        report.first_submitted_on = report.first_submitted_on or timezone.localdate(now)
        report.reviewed_at, report.reviewed_by, report.review_comment = None, None, ""
        self.touch(report)
        number = self.versions.get(report.pk, 0) + 1
        self.versions[report.pk] = number
        contributions = sorted(self.contributions.get(report.pk, {}).values(), key=lambda c: c.unit.name)
        version = ReportVersion(report=report, number=number, submitted_at=now, submitted_by=user)
        version.snapshot = (report.content(), list(evidence), [{"unit": c.unit.name, "text": c.text}
                                                               for c in contributions])
        self.latest[report.pk] = self.touch(version)

    def _review(self, report, user, outcome, comment):
        if report.status != ProgressReport.Status.SUBMITTED:
            raise TransitionError(f"report {report.pk} is {report.status}")
        now = self.now()
        report.status = outcome
        report.reviewed_at, report.reviewed_by, report.review_comment = now, user, comment
        version = self.latest[report.pk]
        version.outcome, version.reviewed_at, version.reviewed_by, version.review_comment = outcome, now, user, comment
        self.touch(report)
        self.touch(version)

    def accept(self, report, user, comment):
        self._review(report, user, ProgressReport.Status.ACCEPTED, comment.strip())
        measure = report.measure
        if report.progress == ProgressReport.Progress.COMPLETED and measure.completed_on is None \
                and measure.pk not in self.done:
            day = timezone.localdate(report.submitted_at)
            self.completed[measure.pk] = measure.completed_on = day
            self.done.add(measure.pk)

    def return_for_correction(self, report, user, comment):
        self._review(report, user, ProgressReport.Status.RETURNED, comment.strip())

    # ----------------------------------------------------------- complaints

    def _event(self, kind, *, complaint=None, rectification=None, actor=None, at=None, unit=None, note="", data=None,
               key_parts=None):
        self.events.append((complaint, rectification, kind, at or self.now(), actor, unit, note, data or {},
                            key_parts))

    def _move(self, complaint, action):
        complaint.ensure_allowed(action, action)
        target = Complaint.TRANSITIONS[action][1]
        if target is not None:
            complaint.state = target
        self.touch(complaint)

    def _deadline(self, complaint):
        """Complaint.current_deadline(), with the extensions held in memory."""
        step = complaint.current_step
        if step == "contact":
            return self.deadlines.contact(complaint.received_at)
        if step != "reply":
            return None
        due = self._base(complaint)
        approved = [e for e in complaint.sim_extensions
                    if e.round == complaint.round and e.state == Extension.State.APPROVED]
        for extension in sorted(approved, key=lambda e: e.decided_at):
            due = self.deadlines.extended(due.due_at, extension.workdays)
        return due

    def _base(self, complaint):
        """Complaint.base_reply_deadline(), remembered."""
        return self.deadlines.reply(complaint.round_started_at(), complaint.difficulty or Complaint.Difficulty.GENERAL)

    def _refresh(self, complaint):
        deadline = self._deadline(complaint)
        complaint.next_due = deadline.due_at if deadline else None
        complaint.next_due_provisional = bool(deadline and deadline.provisional)

    def receive(self, *, received_at, recorded_by=None, **fields):
        complaint = self.new_complaint(received_at=received_at, form_token=None, **fields)
        complaint.tracking_code = hotline_models.new_tracking_code()
        complaint.contact_due = self.deadlines.contact(received_at).due_at
        complaint.sim_extensions, complaint.sim_cooperating = [], []
        self._refresh(complaint)
        self.touch(complaint)
        self.open_complaints[id(complaint)] = complaint
        self._event(Event.Kind.RECEIVED, complaint=complaint, actor=recorded_by, at=received_at,
                    data={"channel": complaint.channel})
        return complaint

    def contact(self, complaint, user, note):
        self._move(complaint, "contact")
        complaint.contacted_at = self.now()
        self._refresh(complaint)
        self._event(Event.Kind.CONTACTED, complaint=complaint, actor=user, at=complaint.contacted_at, note=note)

    def classify(self, complaint, user, difficulty):
        self._move(complaint, "classify")
        complaint.difficulty = difficulty
        complaint.classified_at = self.now()
        complaint.reply_due = self.deadlines.reply(complaint.received_at, difficulty).due_at
        self._refresh(complaint)
        self._event(Event.Kind.CLASSIFIED, complaint=complaint, actor=user, data={"difficulty": difficulty})

    def _set_units(self, complaint, lead, cooperating):
        complaint.lead_unit = lead
        units = {u.pk: u for u in cooperating if u.pk != lead.pk}
        complaint.sim_cooperating = sorted(units.values(), key=lambda u: u.name)
        self.cooperating[id(complaint)] = (complaint, list(units))

    def assign(self, complaint, user, unit, cooperating):
        self._move(complaint, "assign")
        complaint.assigned_at = self.now()
        self._set_units(complaint, unit, cooperating)
        self._event(Event.Kind.ASSIGNED, complaint=complaint, actor=user, unit=unit,
                    data={"cooperating": [u.name for u in complaint.sim_cooperating]})

    def transfer(self, complaint, user, unit, reason):
        self._move(complaint, "transfer")
        if complaint.lead_unit_id == unit.pk:
            raise IllegalTransition(f"complaint already with {unit}")
        from_unit = complaint.lead_unit
        complaint.assigned_at = self.now()
        self._set_units(complaint, unit, complaint.sim_cooperating)
        self._event(Event.Kind.TRANSFERRED, complaint=complaint, actor=user, unit=unit, note=reason,
                    data={"from": from_unit.name if from_unit else ""})

    def start(self, complaint, user):
        self._move(complaint, "start")
        self._event(Event.Kind.STARTED, complaint=complaint, actor=user, unit=complaint.lead_unit)

    def return_to_office(self, complaint, user, reason):
        self._move(complaint, "return")
        unit = complaint.lead_unit
        complaint.lead_unit = None
        self._event(Event.Kind.RETURNED, complaint=complaint, actor=user, unit=unit, note=reason)

    def _dues(self, complaint, extension):
        """Extension.compute_dues() in memory: (old, new) Deadlines."""
        due = self._base(complaint)
        approved = sorted((e for e in complaint.sim_extensions
                           if e.round == complaint.round and e.state == Extension.State.APPROVED),
                          key=lambda e: e.decided_at)
        for other in approved:
            new = self.deadlines.extended(due.due_at, other.workdays)
            if other is extension:
                return due, new
            due = new
        return due, self.deadlines.extended(due.due_at, extension.workdays)

    def request_extension(self, complaint, user, workdays, reason):
        complaint.ensure_allowed("request_extension", "request_extension")
        if any(e.state == Extension.State.PENDING for e in complaint.sim_extensions):
            raise IllegalTransition("an extension request is already pending")
        extension = Extension(complaint=complaint, round=complaint.round, workdays=workdays, reason=reason,
                              requested_by=user, requested_at=self.now())
        old, new = self._dues(complaint, extension)
        extension.old_due, extension.new_due = old.due_at, new.due_at
        complaint.sim_extensions.append(self.touch(extension))
        self._event(Event.Kind.EXTENSION_REQUESTED, complaint=complaint, actor=user, unit=complaint.lead_unit,
                    note=reason, data={"workdays": workdays, "extension": extension})
        return extension

    def decide_extension(self, extension, user, approve, note):
        complaint = extension.complaint
        complaint.ensure_allowed("decide_extension", "decide_extension")
        if extension.state != Extension.State.PENDING:
            raise IllegalTransition("extension already decided")
        extension.decided_by, extension.decided_at, extension.decision_note = user, self.now(), note
        extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
        if approve:
            old, new = self._dues(complaint, extension)
            extension.old_due, extension.new_due = old.due_at, new.due_at
            self._refresh(complaint)
            self.touch(complaint)
            # The service formats the deadlines it has just computed (local time)…
            old_iso, new_iso = extension.old_due.isoformat(), extension.new_due.isoformat()
        else:
            # …or those it read back from the database (UTC).
            old_iso, new_iso = utc_iso(extension.old_due), utc_iso(extension.new_due)
        self.touch(extension)
        kind = Event.Kind.EXTENSION_APPROVED if approve else Event.Kind.EXTENSION_REFUSED
        self._event(kind, complaint=complaint, actor=user, note=note,
                    data={"extension": extension, "old_due": old_iso, "new_due": new_iso})

    def reply(self, complaint, user, text, resolution):
        self._move(complaint, "reply")
        now = self.now()
        if complaint.replied_at is None:
            complaint.replied_at = now
            complaint.replied_on_time = complaint.next_due is None or now <= complaint.next_due
        complaint.reply_text, complaint.resolution = text, resolution
        self._refresh(complaint)
        self._event(Event.Kind.REPLIED, complaint=complaint, actor=user, at=now, unit=complaint.lead_unit, note=text,
                    data={"resolution": resolution})

    def callback(self, complaint, user, satisfied, note, reopen=None):
        self._move(complaint, "callback")
        reopen = (not satisfied) if reopen is None else (reopen and not satisfied)
        now = self.now()
        complaint.satisfied = satisfied
        self._event(Event.Kind.CALLBACK, complaint=complaint, actor=user, at=now, note=note,
                    data={"satisfied": satisfied})
        if reopen:
            complaint.state = State.IN_PROGRESS
            complaint.reopen_count += 1
            complaint.reopened_at = now
            self._refresh(complaint)
            self._event(Event.Kind.REOPENED, complaint=complaint, actor=user, at=now, unit=complaint.lead_unit,
                        note=note)
            return
        complaint.state = State.CLOSED
        complaint.closed_at = now
        self._refresh(complaint)
        self.open_complaints.pop(id(complaint), None)
        self._event(Event.Kind.CLOSED, complaint=complaint, actor=user, at=now, note=note)

    def tick(self, moment, reminders):
        """The "hotline-escalations" job (duban.hotline.escalation) over the complaints in memory."""
        horizon = max(clocks.yellow_from(timezone.localdate(moment), step) for step in clocks.YELLOW_WORKDAYS)
        for complaint in list(self.open_complaints.values()):
            due = complaint.next_due
            if due is None or due > horizon or moment <= due:
                continue  # not due, or yellow: reminders only
            step = complaint.current_step
            suffix = f"{step}{complaint.round}:{timezone.localtime(due):%Y%m%d%H%M}"
            unit = complaint.lead_unit if step == "reply" else None
            self._once(("complaint", complaint, f"{suffix}:red"), Event.Kind.OVERDUE, complaint=complaint, at=moment,
                       unit=unit, data={"step": step, "due": utc_iso(due)})
            if moment >= self.deadlines.supervise_after(due):
                if complaint.supervised_at is None:
                    complaint.supervised_at = moment
                    self.touch(complaint)
                self._once(("complaint", complaint, f"{suffix}:supervised"), Event.Kind.SUPERVISED,
                           complaint=complaint, at=moment, unit=unit)
        for rectification in list(self.open_rectifications.values()):
            if rectification.state != Rectification.State.OPEN:
                continue
            due = rectification.due_at
            if due > horizon or moment <= due:
                continue
            suffix = f"rectify:{timezone.localtime(due):%Y%m%d%H%M}"
            unit = rectification.unit
            self._once(("rectification", rectification, f"{suffix}:red"), Event.Kind.OVERDUE,
                       rectification=rectification, at=moment, unit=unit)
            if moment >= self.deadlines.supervise_after(due):
                if rectification.supervised_at is None:
                    rectification.supervised_at = moment
                    self.touch(rectification)
                self._once(("rectification", rectification, f"{suffix}:supervised"), Event.Kind.SUPERVISED,
                           rectification=rectification, at=moment, unit=unit)

    def _once(self, key_parts, kind, **fields):
        kind_name, subject, suffix = key_parts
        marker = (kind_name, id(subject), suffix)
        if marker in self.recorded:
            return
        self.recorded.add(marker)
        self._event(kind, key_parts=key_parts, **fields)

    # -------------------------------------------------------------- reviews

    def review(self, **fields):
        now = self.now()
        review = SimReview(fields["unit"], fields["level"])
        row = dict(self.table(Review).defaults, entered_at=now, **{k: v for k, v in fields.items() if k != "unit"})
        row["unit_id"] = review.unit.pk
        self.reviews.append((review, row))
        if review.is_bad:
            deadline = self.deadlines.rectify(now)
            rectification = Rectification(unit=review.unit, opened_at=now, due_at=deadline.due_at,
                                          due_provisional=deadline.provisional)
            rectification.sim_review = review
            review.rectification = self.touch(rectification)
            self.open_rectifications[id(rectification)] = rectification
            self._event(Event.Kind.OPENED, rectification=rectification, unit=review.unit, at=now)
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

    def _rect_move(self, rectification, action):
        rectification.ensure_allowed(action, action)
        target = Rectification.TRANSITIONS[action][1]
        if target is not None:
            rectification.state = target
        if rectification.state not in (Rectification.State.OPEN, Rectification.State.SUBMITTED):
            self.open_rectifications.pop(id(rectification), None)
        self.touch(rectification)

    def appeal(self, review, user, reason):
        appeal = self.touch(Appeal(reason=reason, filed_by=user, filed_at=self.now()))
        appeal.sim_review = review
        self._event(Event.Kind.APPEALED, rectification=review.rectification, actor=user, unit=review.unit,
                    note=reason)
        return appeal

    def decide_appeal(self, appeal, user, uphold, note):
        appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.REJECTED
        appeal.decided_by, appeal.decided_at, appeal.decision_note = user, self.now(), note
        self.touch(appeal)
        rectification = appeal.sim_review.rectification
        if uphold and rectification.state in Rectification.TRANSITIONS["withdraw"][0]:
            rectification.state = Rectification.State.WITHDRAWN
            self.open_rectifications.pop(id(rectification), None)
            self.touch(rectification)
        self._event(Event.Kind.APPEAL_DECIDED, rectification=rectification, actor=user, note=note,
                    data={"upheld": uphold})

    def rectify(self, review, user, action_taken):
        rectification = review.rectification
        self._rect_move(rectification, "submit")
        rectification.action_taken = action_taken
        rectification.submitted_at = self.now()
        self._event(Event.Kind.SUBMITTED, rectification=rectification, actor=user, unit=rectification.unit,
                    note=action_taken)

    def send_back(self, review, user, note):
        rectification = review.rectification
        self._rect_move(rectification, "send_back")
        self.open_rectifications[id(rectification)] = rectification
        self._event(Event.Kind.SENT_BACK, rectification=rectification, actor=user, note=note)

    def accept_rectification(self, review, user):
        rectification = review.rectification
        self._rect_move(rectification, "accept")
        rectification.accepted_at = self.now()
        rectification.rectified_at = rectification.submitted_at
        self._event(Event.Kind.ACCEPTED, rectification=rectification, actor=user)

    def rectification_callback(self, review, user, satisfied, note):
        rectification = review.rectification
        self._rect_move(rectification, "callback")
        rectification.callback_at = self.now()
        rectification.callback_satisfied = satisfied
        self._event(Event.Kind.CALLBACK, rectification=rectification, actor=user, note=note,
                    data={"satisfied": satisfied})

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
        """kpi.services.report_value(): the period's value (a second report replaces the first) and its
        revision. The metrics are the simulation's own, so their values are all in memory."""
        if not can(user, "kpi.report", metric):
            raise PermissionDenied(_("You may report values only for metrics your unit owns."))
        now = self.now()
        entry = self.metric_values.get((metric.pk, period.label))
        if entry is None:
            entry = self.metric_values[metric.pk, period.label] = MetricValue(
                metric=metric, period=period.label, period_end=period.end)
        elif entry.value == value and entry.note == note:
            return
        entry.value, entry.note, entry.reported_by, entry.reported_at = value, note, user, now
        self.touch(entry)
        self.touch(ValueRevision(metric_value=entry, kind=ValueRevision.Kind.REPORTED, value=value, note=note, by=user,
                                 at=now))

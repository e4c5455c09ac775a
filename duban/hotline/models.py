"""The business complaint hotline (营商环境"110") and service reviews (好差评).

A Complaint moves through received → contacted → classified → assigned → in
progress → replied → closed (or back to in progress when the callback finds
the business unsatisfied). The allowed moves are in Complaint.TRANSITIONS and
are made by the functions in flow.py; every step leaves an Event with its
time and actor. Deadlines are stored when their clock starts (clocks.py).

A Review is one rating of a unit's service; a bad one (不满意, 非常不满意)
opens a Rectification due in one working day (reviews.py).
"""

import contextlib
import datetime
import contextvars
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL, COOPERATING, LED_AREAS, OWN_UNIT
from duban.core import clock
from duban.core.models import RegionalQuerySet, sees_every_region
from duban.core.writes import Writes

from . import clocks
from .credit_code import validate_credit_code

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, such as 13812345678."))

# Tracking codes avoid 0/O and 1/I/L so that they can be read out on the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


# Where tracking codes draw their characters: secrets, unless drawing_codes_from() says otherwise (a simulated
# year draws them from its seed, so that the same seed gives the same codes).
_code_choice: contextvars.ContextVar = contextvars.ContextVar("duban_tracking_code_choice", default=secrets.choice)


def new_tracking_code():
    choice = _code_choice.get()
    return "".join([choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH)])


@contextlib.contextmanager
def drawing_codes_from(choice):
    """New tracking codes take their characters from `choice(alphabet)` meanwhile."""
    token = _code_choice.set(choice)
    try:
        yield
    finally:
        _code_choice.reset(token)


def format_tracking_code(code):
    return f"{code[:5]}-{code[5:]}" if len(code) == TRACKING_LENGTH else code


def normalize_tracking_code(text):
    return "".join(c for c in str(text or "").upper() if c.isalnum())


class IllegalTransition(Exception):
    """A step that the complaint's (or rectification's) current state does not allow."""


class Category(models.Model):
    """What a complaint is about, as businesses choose it: the plan's areas in plain words.

    Each region has its own (seeded when the region is created, see categories.py), linked to its own
    plan areas, leaders and units: a region's complaints are never told to another region's people."""

    region = models.ForeignKey("core.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    hint = models.CharField(_("hint"), max_length=300, blank=True, help_text=_("Shown to businesses under the name."))
    area = models.ForeignKey(
        "plans.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("plan area"),
        help_text=_("The plan's area this category belongs to; its chief is told of supervised cases."),
    )
    leader = models.ForeignKey(
        "plans.Leader", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("responsible leader"), help_text=_("Empty: the chief of the plan area."),
    )
    default_unit = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("usual lead unit"), help_text=_("Suggested when the office assigns a complaint."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered to businesses"), default=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="hotline_category_name_per_region")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.region_id is None and self.area_id:
            self.region_id = self.area.plan.region_id  # a category made for a plan area is that plan's region's
        super().save(*args, **kwargs)

    def clean(self):
        """The area, leader and usual unit are the category's region's (they are told of its complaints)."""
        area_region = self.area.plan.region_id if self.area_id else None
        for field, region in (("area", area_region), ("leader", self.leader.region_id if self.leader_id else None),
                              ("default_unit", self.default_unit.region_id if self.default_unit_id else None)):
            if region is not None and self.region_id is not None and region != self.region_id:
                raise ValidationError({field: _("This belongs to another region than the category.")})

    @property
    def responsible_leader_id(self):
        if self.leader_id:
            return self.leader_id
        return self.area.chief_id if self.area_id else None


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Complaint.State.CLOSED)


class EventQuerySet(models.QuerySet):
    def with_key(self, key):
        """The event recorded under `key`. The unique index on keys leaves out the empty key (most events have
        none); saying so here lets the database use it, where `key = …` alone makes SQLite read every event."""
        return self.filter(~Q(key=""), key=key).order_by()  # unordered: ordered, a plan may walk the time index


class ReviewQuerySet(models.QuerySet):
    def with_references(self, references, region_id):
        """A region's reviews with these platform numbers, found through the unique index on them (see with_key).

        Always within one region: another region's numbers are not this region's business (nor its to know)."""
        return self.filter(~Q(external_ref=""), external_ref__in=[r for r in references if r],
                           unit__region=region_id).order_by()


class Steps:
    """A model with a state machine: TRANSITIONS {action: (states it may start from, state it leads to or
    None)} and ensure_allowed(action), which refuses with a translated message."""

    def _step(self, action):
        self.ensure_allowed(action)
        target = self.TRANSITIONS[action][1]
        if target is not None:
            self.state = target


class Complaint(Steps, models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        CONTACTED = "contacted", _("contacted")
        CLASSIFIED = "classified", _("classified")
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        RETURNED = "returned", _("returned to the office")
        REPLIED = "replied", _("replied")
        CLOSED = "closed", _("closed")

    class Difficulty(models.TextChoices):
        GENERAL = "general", _("general problem (5 working days)")
        DIFFICULT = "difficult", _("difficult problem (10 working days)")

    class Channel(models.TextChoices):
        WEB = "web", _("web form")
        PHONE = "phone", _("phone call")
        VISIT = "visit", _("visit in person")
        PLATFORM_12345 = "12345", _("12345 platform")

    class Resolution(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        ANSWERED = "answered", _("answered with an explanation")

    # action: (states it may start from, state it leads to; None: unchanged or decided by the step)
    TRANSITIONS = {
        "contact": ({State.RECEIVED}, State.CONTACTED),
        "classify": ({State.CONTACTED, State.CLASSIFIED}, State.CLASSIFIED),
        "assign": ({State.CLASSIFIED, State.RETURNED}, State.ASSIGNED),
        "transfer": ({State.ASSIGNED, State.IN_PROGRESS}, State.ASSIGNED),
        "start": ({State.ASSIGNED}, State.IN_PROGRESS),
        "return": ({State.ASSIGNED, State.IN_PROGRESS}, State.RETURNED),
        "request_extension": ({State.ASSIGNED, State.IN_PROGRESS}, None),
        "decide_extension": ({State.CLASSIFIED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED}, None),
        "reply": ({State.IN_PROGRESS}, State.REPLIED),
        "callback": ({State.REPLIED}, None),
        "comment": (set(State), None),
    }
    # What the refusal of a step calls it.
    ACTION_LABELS = {
        "contact": _("Record phone contact"), "classify": _("Classify"), "assign": _("Assign"),
        "transfer": _("Transfer"), "start": _("Accept"), "return": _("Return to the office"),
        "request_extension": _("Request an extension"), "decide_extension": _("Decide on the extension"),
        "reply": _("Reply"), "callback": _("Record the callback"), "comment": _("Add a note"),
    }
    # States in which the reply clock runs (contacted: the shorter limit until classified).
    REPLY_STATES = {State.CONTACTED, State.CLASSIFIED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED}
    # Where the time limits come from (duban.hotline.clocks); the simulation gives its complaints a copy
    # that remembers its answers. `known_extensions`: all the complaint's extensions, held in memory by
    # the simulation (None: read from the database when needed).
    deadline_rules = clocks
    known_extensions = None

    # The district whose office handles it: where the business filed it (the public form's region).
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("region"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=TRACKING_LENGTH, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    external_ref = models.CharField(
        _("reference elsewhere"), max_length=64, blank=True, help_text=_("The 12345 work-order number, if any.")
    )
    # The one-time token of the public form that created it: a double click
    # or a resubmitted page finds this complaint instead of filing another.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    company_name = models.CharField(_("company name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    mobile = models.CharField(_("mobile number"), max_length=11, validators=[mobile_validator])
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=5000)

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, blank=True)
    lead_unit = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="hotline_complaints",
        verbose_name=_("lead unit"),
    )
    cooperating_units = models.ManyToManyField(
        "plans.Unit", blank=True, related_name="hotline_cooperations", verbose_name=_("cooperating units")
    )

    received_at = models.DateTimeField(_("received at"), default=clock.now)
    contact_due = models.DateTimeField(_("contact due"))
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    reply_due = models.DateTimeField(
        _("reply due"), null=True, blank=True, help_text=_("5 or 10 working days from receipt; never moved by extensions.")
    )
    replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("first reply on time"), null=True, blank=True)
    reply_text = models.TextField(_("reply to the business"), blank=True)
    resolution = models.CharField(_("outcome"), max_length=10, choices=Resolution.choices, blank=True)
    reopened_at = models.DateTimeField(_("last reopened at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    satisfied = models.BooleanField(_("satisfied at the last callback"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the retention job (privacy.anonymise_closed) blanked the contact's name and number.
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    # The deadline of the step the complaint is waiting for (contact, then the
    # reply with any approved extension): what lists sort by and tick checks.
    next_due = models.DateTimeField(_("next deadline"), null=True, blank=True)
    next_due_provisional = models.BooleanField(_("next deadline provisional"), default=False)
    supervised_at = models.DateTimeField(_("supervised case since"), null=True, blank=True)
    updated_at = clock.StampField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            # The office's list: newest first, or by state/unit and deadline (see docs/hotline.md).
            models.Index(fields=["-received_at", "-id"], name="hotline_complaint_received"),
            # The same two orders within an office's region (every list is filtered by it): without the region
            # first, SQLite reads the region's index and sorts all its rows (7 s at 500,000, issue 22).
            models.Index(fields=["region", "-received_at", "-id"], name="hotline_complaint_reg_recv"),
            models.Index(fields=["region", "next_due", "id"], name="hotline_complaint_reg_due"),
            models.Index(fields=["state", "next_due"], name="hotline_complaint_state_due"),
            models.Index(fields=["state", "-received_at"], name="hotline_complaint_state_recv"),
            models.Index(fields=["lead_unit", "state", "next_due"], name="hotline_complaint_unit_due"),
            models.Index(fields=["lead_unit", "-received_at"], name="hotline_complaint_unit_recv"),
            models.Index(fields=["category", "-received_at"], name="hotline_complaint_cat_recv"),
            models.Index(fields=["next_due"], name="hotline_complaint_due"),
            models.Index(fields=["credit_code"], name="hotline_complaint_credit"),
            models.Index(fields=["-received_at"], condition=Q(supervised_at__isnull=False),
                         name="hotline_complaint_supervised"),
        ]

    def __str__(self):
        return f"{self.formatted_code} {self.company_name}"

    def save(self, *args, **kwargs):
        if not self.tracking_code:
            self.tracking_code = new_tracking_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("hotline:complaint_detail", args=[self.pk])

    @property
    def formatted_code(self):
        return format_tracking_code(self.tracking_code)

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope == OWN_UNIT:
            return bool(user.unit_id) and self.lead_unit_id == user.unit_id
        if scope == COOPERATING:
            return bool(user.unit_id) and (
                self.lead_unit_id == user.unit_id or self.cooperating_units.filter(pk=user.unit_id).exists()
            )
        if scope == LED_AREAS:
            return bool(user.leader_id) and self.category.responsible_leader_id == user.leader_id
        return False

    # --- the state machine -------------------------------------------------

    def can(self, action):
        return self.state in self.TRANSITIONS[action][0]

    def ensure_allowed(self, action, label=None):
        if not self.can(action):
            raise IllegalTransition(
                _("“%(action)s” is not possible while the complaint is %(state)s.")
                % {"action": label or self.ACTION_LABELS[action], "state": self.get_state_display()}
            )

    @property
    def is_open(self):
        return self.state != self.State.CLOSED

    @property
    def current_step(self):
        """Which clock the complaint waits on: "contact", "reply" or "" (none)."""
        if self.state == self.State.RECEIVED:
            return "contact"
        if self.state in self.REPLY_STATES:
            return "reply"
        return ""

    @property
    def round(self):
        """Each reopening starts a new round of the reply clock."""
        return self.reopen_count

    def round_started_at(self):
        return self.reopened_at if self.reopen_count else self.received_at

    def base_reply_deadline(self):
        """The round's reply limit before extensions: 5 or 10 working days (5 until classified)."""
        return self.deadline_rules.reply_deadline(self.round_started_at(), self.difficulty or self.Difficulty.GENERAL)

    def extension_chain(self, extensions=None):
        """[(extension, old Deadline, new Deadline)] for this round's approved extensions, in order.
        `extensions`: the complaint's extensions as they stand in memory (default: known_extensions, else
        those in the database)."""
        extensions = self.known_extensions if extensions is None else extensions
        if extensions is None:
            approved = self.extensions.filter(round=self.round, state=Extension.State.APPROVED).order_by("decided_at", "pk")
        else:
            approved = sorted((e for e in extensions if e.round == self.round and e.state == Extension.State.APPROVED),
                              key=lambda e: (e.decided_at, e.pk or 0))
        chain, due = [], self.base_reply_deadline()
        for extension in approved:
            new = self.deadline_rules.extended_deadline(due.due_at, extension.workdays)
            chain.append((extension, due, new))
            due = new
        return chain

    def current_deadline(self, extensions=None):
        """The Deadline of the step the complaint waits for, or None."""
        step = self.current_step
        if step == "contact":
            return self.deadline_rules.contact_deadline(self.received_at)
        if step == "reply":
            chain = self.extension_chain(extensions)
            return chain[-1][2] if chain else self.base_reply_deadline()
        return None

    def refresh_next_due(self, extensions=None):
        deadline = self.current_deadline(extensions)
        self.next_due = deadline.due_at if deadline else None
        self.next_due_provisional = bool(deadline and deadline.provisional)

    # --- the steps ------------------------------------------------------------
    # Each checks the state machine and its own rule, changes the complaint in memory and returns what to
    # write (duban.core.writes.Writes: the complaint, its events, an extension, the cooperating units):
    # duban.hotline.flow saves them and tells people; the simulation's bulk writer batches them.
    # IllegalTransition, with a translated message, when the complaint's state does not allow the step.

    def _event(self, kind, actor, at, **fields):
        return Event(complaint=self, kind=kind, actor=actor, at=at, **fields)

    def receive(self, recorded_by=None):
        """A complaint just filed (received_at set): the contact clock (1 working day) starts."""
        self.contact_due = self.deadline_rules.contact_deadline(self.received_at).due_at
        self.refresh_next_due([])
        return Writes().create(self).create(
            self._event(Event.Kind.RECEIVED, recorded_by, self.received_at, data={"channel": self.channel}))

    def contact(self, actor, at, *, note):
        """The office has phoned the business."""
        self._step("contact")
        self.contacted_at = at
        self.refresh_next_due()
        return Writes().update(self).create(self._event(Event.Kind.CONTACTED, actor, at, note=note))

    def classify(self, actor, at, *, difficulty, note=""):
        """General or difficult: the reply clock of 5 or 10 working days from receipt."""
        self._step("classify")
        self.difficulty = difficulty
        self.classified_at = at
        self.reply_due = self.deadline_rules.reply_deadline(self.received_at, difficulty).due_at
        self.refresh_next_due()
        return Writes().update(self).create(
            self._event(Event.Kind.CLASSIFIED, actor, at, note=note, data={"difficulty": difficulty}))

    def _set_units(self, lead_unit, cooperating_units):
        self.lead_unit = lead_unit
        units = {unit.pk: unit for unit in cooperating_units if unit.pk != lead_unit.pk}
        self.cooperating = sorted(units.values(), key=lambda unit: unit.name)
        return Writes().update(self).link(self, "cooperating_units", self.cooperating)

    def assign(self, actor, at, *, lead_unit, cooperating_units=(), note=""):
        """To a lead unit (and cooperating units)."""
        self._step("assign")
        self.assigned_at = at
        return self._set_units(lead_unit, cooperating_units).create(self._event(
            Event.Kind.ASSIGNED, actor, at, unit=lead_unit, note=note,
            data={"cooperating": [unit.name for unit in self.cooperating]}))

    def transfer(self, actor, at, *, to_unit, reason, cooperating_units):
        """To another lead unit; the reply clock keeps counting from receipt."""
        self._step("transfer")
        if self.lead_unit_id == to_unit.pk:
            raise IllegalTransition(_("The complaint is already with %(unit)s.") % {"unit": to_unit})
        from_unit = self.lead_unit
        self.assigned_at = at
        return self._set_units(to_unit, cooperating_units).create(self._event(
            Event.Kind.TRANSFERRED, actor, at, unit=to_unit, note=reason,
            data={"from": from_unit.name if from_unit else ""}))

    def start(self, actor, at, *, note=""):
        """The lead unit accepts the complaint (签收)."""
        self._step("start")
        return Writes().update(self).create(self._event(Event.Kind.STARTED, actor, at, unit=self.lead_unit, note=note))

    def return_to_office(self, actor, at, *, reason):
        """"Not ours": back to the office, with the unit's reason."""
        self._step("return")
        unit, self.lead_unit = self.lead_unit, None
        return Writes().update(self).create(self._event(Event.Kind.RETURNED, actor, at, unit=unit, note=reason))

    def has_pending_extension(self):
        if self.known_extensions is not None:
            return any(e.state == Extension.State.PENDING for e in self.known_extensions)
        return self.extensions.filter(state=Extension.State.PENDING).exists()

    def request_extension(self, actor, at, *, workdays, reason):
        """`workdays` more working days asked of the office; nothing moves until it approves."""
        self.ensure_allowed("request_extension")
        if self.has_pending_extension():
            raise IllegalTransition(_("An extension request is already waiting for the office."))
        extension = Extension(complaint=self, round=self.round, workdays=workdays, reason=reason, requested_by=actor,
                              requested_at=at)
        old, new = extension.compute_dues()
        extension.old_due, extension.new_due = old.due_at, new.due_at
        if self.known_extensions is not None:
            self.known_extensions.append(extension)
        return Writes().create(extension).create(self._event(
            Event.Kind.EXTENSION_REQUESTED, actor, at, unit=self.lead_unit, note=reason,
            data={"workdays": workdays, "extension": extension}))

    def decide_extension(self, extension, actor, at, *, approve, note=""):
        """The office approves (a new deadline, kept next to the old one) or refuses."""
        self.ensure_allowed("decide_extension")
        if extension.state != Extension.State.PENDING:
            raise IllegalTransition(_("This extension request has already been decided."))
        extension.decided_by, extension.decided_at, extension.decision_note = actor, at, note
        extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
        writes = Writes().update(extension)
        if approve:
            extensions = self.known_extensions
            if extensions is None:
                extensions = [extension if e.pk == extension.pk else e for e in self.extensions.all()]
            old, new = extension.compute_dues(extensions)
            extension.old_due, extension.new_due = old.due_at, new.due_at
            self.refresh_next_due(extensions)
            writes.update(self)
        kind = Event.Kind.EXTENSION_APPROVED if approve else Event.Kind.EXTENSION_REFUSED
        return writes.create(self._event(kind, actor, at, note=note, data={
            "extension": extension, "old_due": extension.old_due.isoformat(),
            "new_due": extension.new_due.isoformat()}))

    def reply(self, actor, at, *, text, resolution):
        """The unit's answer; the first reply is what "on time" is measured by."""
        self._step("reply")
        if self.replied_at is None:
            self.replied_at = at
            self.replied_on_time = self.next_due is None or at <= self.next_due
        self.reply_text, self.resolution = text, resolution
        self.refresh_next_due()
        return Writes().update(self).create(self._event(Event.Kind.REPLIED, actor, at, unit=self.lead_unit, note=text,
                                                        data={"resolution": resolution}))

    def escalate(self, now):
        """What a missed deadline makes of the complaint at `now` (the tick's rule, duban.hotline.escalation):
        ([(key suffix, event)], whether supervised_at was set now). Nothing while the step's deadline runs;
        then the overdue event and, from one working day after the deadline, the supervised case (督办件).
        Each event is recorded once per key, "hotline:complaint:<id>:<suffix>"."""
        return _escalate(self, now, self.current_step, f"{self.current_step}{self.round}", self.next_due,
                         self.lead_unit if self.current_step == "reply" else None, complaint=self)

    def callback(self, actor, at, *, satisfied, note="", reopen=None):
        """The office asks the business (回访). Satisfied: closed. Not: reopened, unless the office closes it
        anyway (reopen=False)."""
        self._step("callback")
        reopen = (not satisfied) if reopen is None else (reopen and not satisfied)
        self.satisfied = satisfied
        writes = Writes().create(self._event(Event.Kind.CALLBACK, actor, at, note=note, data={"satisfied": satisfied}))
        if reopen:
            self.state = self.State.IN_PROGRESS
            self.reopen_count += 1
            self.reopened_at = at
            self.refresh_next_due()
            return writes.update(self).create(self._event(Event.Kind.REOPENED, actor, at, unit=self.lead_unit,
                                                          note=note))
        self.state = self.State.CLOSED
        self.closed_at = at
        self.refresh_next_due()
        return writes.update(self).create(self._event(Event.Kind.CLOSED, actor, at, note=note))

    @property
    def responsible_leader_id(self):
        return self.category.responsible_leader_id

    def light(self, now=None):
        """The traffic light of the step it waits for: red, yellow, green, or "" when none runs."""
        if self.next_due is None:
            return ""
        now = now or clock.now()
        if now > self.next_due:
            return "red"
        if self.next_due <= clocks.yellow_from(timezone.localdate(now), self.current_step or "reply"):
            return "yellow"
        return "green"


class Event(models.Model):
    """One step on a complaint or a rectification: what happened, when, by whom."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        CONTACTED = "contacted", _("business contacted by phone")
        CLASSIFIED = "classified", _("classified")
        ASSIGNED = "assigned", _("assigned")
        STARTED = "started", _("accepted by the unit")
        TRANSFERRED = "transferred", _("transferred")
        RETURNED = "returned", _("returned to the office")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENSION_APPROVED = "extension_approved", _("extension approved")
        EXTENSION_REFUSED = "extension_refused", _("extension refused")
        REPLIED = "replied", _("replied")
        CALLBACK = "callback", _("callback")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        NOTE = "note", _("note")
        OVERDUE = "overdue", _("deadline missed: unit head told")
        SUPERVISED = "supervised", _("became a supervised case")
        OPENED = "opened", _("rectification opened")
        SUBMITTED = "submitted", _("rectification reported")
        ACCEPTED = "accepted", _("rectification accepted")
        SENT_BACK = "sent_back", _("rectification sent back")
        APPEALED = "appealed", _("appeal filed")
        APPEAL_DECIDED = "appeal_decided", _("appeal decided")

    # What the business sees on the public status page (no names, no notes).
    PUBLIC_KINDS = {
        Kind.RECEIVED, Kind.CONTACTED, Kind.ASSIGNED, Kind.TRANSFERRED, Kind.STARTED, Kind.EXTENSION_APPROVED,
        Kind.REPLIED, Kind.CALLBACK, Kind.CLOSED, Kind.REOPENED,
    }

    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    rectification = models.ForeignKey(
        "Rectification", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("by"), help_text=_("Empty: the business itself, or Duban's periodic checks."),
    )
    unit = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Set on events that periodic checks record, so that running them twice records nothing twice.
    key = models.CharField(max_length=120, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, rectification__isnull=True)
                | Q(complaint__isnull=True, rectification__isnull=False),
                name="hotline_event_one_subject",
            ),
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="hotline_event_key_once"),
        ]

    def save(self, *args, **kwargs):
        # A step names the rows it mentions (an extension) before they have ids: stored as their ids.
        self.data = {key: value.pk if isinstance(value, models.Model) else value for key, value in self.data.items()}
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Extension(models.Model):
    """A unit asks for more time; the office decides. The old deadline is kept next to the new one."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the office")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    round = models.PositiveSmallIntegerField(default=0, editable=False)
    workdays = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    old_due = models.DateTimeField(_("deadline before"))
    new_due = models.DateTimeField(_("deadline after"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("office's note"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(state="pending"), name="hotline_extension_one_pending"
            )
        ]

    def __str__(self):
        return f"+{self.workdays} ({self.get_state_display()})"

    def compute_dues(self, extensions=None):
        """(old, new) Deadlines: after the round's base limit and the extensions approved before it
        (`extensions`: as Complaint.extension_chain() takes them)."""
        complaint = self.complaint
        due = complaint.base_reply_deadline()
        for extension, old, new in complaint.extension_chain(extensions):
            if extension is self or (self.pk is not None and extension.pk == self.pk):
                return old, new
            due = new
        return due, complaint.deadline_rules.extended_deadline(due.due_at, self.workdays)


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    # Stored by duban.core.uploads under a random name; served only by a view that checks permissions.
    file = models.FileField(max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def permission_scope_check(self, user, scope):
        return self.complaint.permission_scope_check(user, scope)


class PersonalDataAccess(models.Model):
    """Someone saw a complainant's or reviewer's unmasked name and mobile number."""

    class Purpose(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey("Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True, help_text=_("Why it was shown, as the user gave it."))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")


class Review(models.Model):
    """One rating of a unit's service (好差评), on the national five-level scale."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("very satisfied")
        SATISFIED = 4, _("satisfied")
        BASICALLY_SATISFIED = 3, _("basically satisfied")
        DISSATISFIED = 2, _("dissatisfied")
        VERY_DISSATISFIED = 1, _("very dissatisfied")

    class Channel(models.TextChoices):
        WINDOW = "window", _("at the service window")
        ONLINE = "online", _("online")
        MOBILE = "mobile", _("mobile app")
        SMS = "sms", _("text message")
        PHONE = "phone", _("phone")
        OTHER = "other", _("other")

    BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    unit = models.ForeignKey("plans.Unit", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("unit"))
    window = models.CharField(_("service window"), max_length=100, blank=True)
    matter = models.CharField(_("matter"), max_length=200)
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    reviewer_name = models.CharField(_("reviewer"), max_length=50, blank=True)
    reviewer_mobile = models.CharField(_("reviewer's mobile"), max_length=11, blank=True, validators=[mobile_validator])
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WINDOW)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    external_ref = models.CharField(
        _("platform reference"), max_length=64, blank=True, help_text=_("The review's number on the service platform.")
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), default=clock.now)
    batch = models.ForeignKey(
        "ReviewImport", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("import")
    )
    # When the retention job (privacy.anonymise_reviews) blanked the reviewer's name and number.
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("service review")
        verbose_name_plural = _("service reviews")
        constraints = [
            models.UniqueConstraint(fields=["external_ref", "unit"], condition=~Q(external_ref=""),
                                    name="hotline_review_ref_once_per_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "reviewed_at"], name="hotline_review_unit_time"),
            models.Index(fields=["reviewed_at"], name="hotline_review_time"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.matter} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("hotline:review_detail", args=[self.pk])

    @property
    def is_bad(self):
        return self.level in self.BAD_LEVELS

    @property
    def has_real_name(self):
        return bool(self.reviewer_name and self.reviewer_mobile)

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope in (OWN_UNIT, COOPERATING):
            return bool(user.unit_id) and self.unit_id == user.unit_id
        return False


class Appeal(models.Model):
    """A unit asks the office to set aside a mistaken or malicious rating (申诉复核)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the office")
        UPHELD = "upheld", _("upheld: the rating is set aside")
        REJECTED = "rejected", _("rejected: the rating stands")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="appeal")
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), default=clock.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("office's note"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    # The steps, as Complaint's: in memory, returning what to write (hotline.reviews saves it, the
    # simulation batches it). `review`: a Review, or anything with its is_bad, unit and rectification.

    @classmethod
    def file(cls, review, actor, at, *, reason, appealed_before):
        """A unit appeals a bad review's rating (once); the caller sets the new appeal's review."""
        if appealed_before:
            raise IllegalTransition(_("This review has already been appealed."))
        if not review.is_bad:
            raise IllegalTransition(_("Only bad reviews can be appealed."))
        appeal = cls(reason=reason, filed_by=actor, filed_at=at)
        return Writes().create(appeal).create(Event(rectification=review.rectification, kind=Event.Kind.APPEALED,
                                                    actor=actor, at=at, unit=review.unit, note=reason))

    def decide(self, actor, at, *, uphold, note, rectification):
        """The office upholds (the review's `rectification` is withdrawn) or rejects the appeal."""
        if self.state != self.State.PENDING:
            raise IllegalTransition(_("This appeal has already been decided."))
        self.state = self.State.UPHELD if uphold else self.State.REJECTED
        self.decided_by, self.decided_at, self.decision_note = actor, at, note
        writes = Writes().update(self)
        if uphold and rectification.state in Rectification.TRANSITIONS["withdraw"][0]:
            rectification.state = Rectification.State.WITHDRAWN
            writes.update(rectification)
        return writes.create(Event(rectification=rectification, kind=Event.Kind.APPEAL_DECIDED, actor=actor, at=at,
                                   note=note, data={"upheld": uphold}))


class Rectification(Steps, models.Model):
    """The unit's fix for a bad review, due in one working day, checked by the office (差评整改)."""

    class State(models.TextChoices):
        OPEN = "open", _("to rectify")
        SUBMITTED = "submitted", _("reported, waiting for the office's check")
        ACCEPTED = "accepted", _("rectified")
        WITHDRAWN = "withdrawn", _("withdrawn after an upheld appeal")

    TRANSITIONS = {
        "submit": ({State.OPEN}, State.SUBMITTED),
        "accept": ({State.SUBMITTED}, State.ACCEPTED),
        "send_back": ({State.SUBMITTED}, State.OPEN),
        "callback": ({State.SUBMITTED, State.ACCEPTED}, None),
        "withdraw": ({State.OPEN, State.SUBMITTED}, State.WITHDRAWN),
    }

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="rectification")
    unit = models.ForeignKey("plans.Unit", on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("unit"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(_("deadline provisional"), default=False)
    action_taken = models.TextField(_("what was done"), blank=True)
    submitted_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    rectified_at = models.DateTimeField(
        _("rectified at"), null=True, blank=True, help_text=_("When the report the office accepted was made.")
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    callback_at = models.DateTimeField(_("reviewer called back at"), null=True, blank=True)
    callback_satisfied = models.BooleanField(_("reviewer satisfied now"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("supervised case since"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["state", "due_at"], name="hotline_rect_state_due")]

    def __str__(self):
        return str(self.review)

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    def permission_scope_check(self, user, scope):
        return self.review.permission_scope_check(user, scope)

    deadline_rules = clocks  # as Complaint's
    ACTION_LABELS = {"submit": _("Report the rectification"), "accept": _("Accept"), "send_back": _("Send back"),
                     "callback": _("Record the callback")}

    def ensure_allowed(self, action, label=None):
        if self.state not in self.TRANSITIONS[action][0]:
            raise IllegalTransition(
                _("“%(action)s” is not possible while the rectification is %(state)s.")
                % {"action": label or self.ACTION_LABELS[action], "state": self.get_state_display()}
            )

    # --- the steps, as Complaint's: in memory, returning what to write -------------------------------

    @classmethod
    def open_for(cls, review, at, *, unit, deadline_rules=clocks):
        """A bad review's rectification, due in 1 working day from `at` (when the review reached Duban)."""
        deadline = deadline_rules.rectify_deadline(at)
        rectification = cls(review=review, unit=unit, opened_at=at, due_at=deadline.due_at,
                            due_provisional=deadline.provisional)
        return Writes().create(rectification).create(
            Event(rectification=rectification, kind=Event.Kind.OPENED, actor=None, at=at, unit=unit))

    def _event(self, kind, actor, at, **fields):
        return Event(rectification=self, kind=kind, actor=actor, at=at, **fields)

    def escalate(self, now):
        """As Complaint.escalate, for an open rectification (key "hotline:rectification:<id>:<suffix>")."""
        if self.state != self.State.OPEN:
            return [], False
        return _escalate(self, now, None, "rectify", self.due_at, self.unit, rectification=self)

    def submit(self, actor, at, *, action_taken):
        """The unit reports what it has done."""
        self._step("submit")
        self.action_taken, self.submitted_at = action_taken, at
        return Writes().update(self).create(self._event(Event.Kind.SUBMITTED, actor, at, unit=self.unit,
                                                        note=action_taken))

    def accept(self, actor, at, *, note=""):
        """The office accepts the report: rectified when it was reported."""
        self._step("accept")
        self.accepted_at, self.rectified_at = at, self.submitted_at
        return Writes().update(self).create(self._event(Event.Kind.ACCEPTED, actor, at, note=note))

    def send_back(self, actor, at, *, note):
        """Not good enough: back to the unit; the deadline stays where it was."""
        self._step("send_back")
        return Writes().update(self).create(self._event(Event.Kind.SENT_BACK, actor, at, note=note))

    def callback(self, actor, at, *, satisfied, note=""):
        """The reviewer's follow-up (回访): is the problem solved now?"""
        self._step("callback")
        self.callback_at, self.callback_satisfied = at, satisfied
        return Writes().update(self).create(self._event(Event.Kind.CALLBACK, actor, at, note=note,
                                                        data={"satisfied": satisfied}))

    @property
    def on_time(self):
        return self.rectified_at is not None and self.rectified_at <= self.due_at

    def light(self, now=None):
        if self.state != self.State.OPEN:
            return ""
        return clocks.light(self.due_at, "rectify", now or clock.now())


def _escalate(row, now, step, stem, due, unit, **subject):
    """The rule of a missed deadline, for a complaint's step or a rectification (their escalate())."""
    if due is None or now <= due:
        return [], False
    stem = f"{stem}:{timezone.localtime(due):%Y%m%d%H%M}"
    data = {"step": step, "due": due.astimezone(datetime.UTC).isoformat()} if step else {}
    events = [(f"{stem}:red", Event(kind=Event.Kind.OVERDUE, at=now, unit=unit, data=data, **subject))]
    newly = False
    if now >= row.deadline_rules.supervise_after(due):
        newly = row.supervised_at is None
        if newly:
            row.supervised_at = now
        events.append((f"{stem}:supervised", Event(kind=Event.Kind.SUPERVISED, at=now, unit=unit, **subject)))
    return events, newly


class ReviewImportQuerySet(models.QuerySet):
    def in_region(self, region_id):
        """A region's batches: those its people uploaded."""
        return self.filter(uploaded_by__region=region_id)

    def visible_to(self, user):
        return self if sees_every_region(user) else self.in_region(user.region_id)


class ReviewImport(models.Model):
    """An uploaded export of a government-service platform's reviews, checked before it is imported."""

    class State(models.TextChoices):
        CHECKED = "checked", _("checked, not imported")
        REFUSED = "refused", _("refused: errors")
        IMPORTED = "imported", _("imported")

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    bad_count = models.PositiveIntegerField(_("bad reviews"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ReviewImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("review import")
        verbose_name_plural = _("review imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("hotline:review_import_detail", args=[self.pk])

    @staticmethod
    def digest(content):
        return hashlib.sha256(content).hexdigest()

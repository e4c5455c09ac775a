"""Recording the audit trail: model registration, change signals, security events."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import json
import logging
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from duban.accounts.permissions import region_of
from duban.core import clock

from . import context
from .models import Entry

log = logging.getLogger(__name__)
MASKED = "***"
Action = Entry.Action


@dataclass
class Spec:
    exclude: frozenset = frozenset()
    mask: frozenset = frozenset()
    m2m: dict = field(default_factory=dict)  # through model → field name


REGISTRY: dict[type[models.Model], Spec] = {}
_paused = contextvars.ContextVar("duban_audit_paused", default=False)


@contextlib.contextmanager
def paused():
    """Record no model changes inside (a restore puts rows back; it changes nothing)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def register(model, exclude=(), mask=()):
    """Record every create, update and delete of `model` in the audit trail.

    `exclude`: fields never recorded (noise such as a last-seen time).
    `mask`: fields recorded only as changed, never with their value (passwords,
    secrets). Many-to-many fields with an automatic through table are followed
    too; an explicit through model is registered like any other model.
    Call it from your AppConfig.ready(); registering twice is harmless.
    """
    if model in REGISTRY:
        return
    spec = Spec(exclude=frozenset(exclude), mask=frozenset(mask))
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre", weak=False)
    post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post", weak=False)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        if m2m.name in spec.exclude or not through._meta.auto_created:
            continue
        spec.m2m[through] = m2m.name
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}-{m2m.name}", weak=False)
    REGISTRY[model] = spec


def is_registered(model):
    return model in REGISTRY


# Values -------------------------------------------------------------------


def to_json(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, uuid.UUID, datetime.timedelta)):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def raw_values(instance, spec):
    return {
        f.name: f.value_from_object(instance)
        for f in instance._meta.concrete_fields
        if f.name not in spec.exclude
    }


def shown(values, spec):
    return {name: (MASKED if name in spec.mask and value else to_json(value)) for name, value in values.items()}


def label(instance):
    return instance._meta.label_lower


# Writing entries ----------------------------------------------------------


_ASK = object()


def _region(instance, user):
    """The object's own region when it has one (no queries up its parents), else the actor's, else the one its
    parents give (a command's changes); None when nothing tells — never a default region."""
    region = getattr(instance, "region_id", None) or getattr(user, "region_id", None)
    if region is None and instance is not None:
        try:
            region = region_of(instance)
        except ObjectDoesNotExist:  # a parent deleted before its child (cascades)
            region = None
    return region


def write(action, *, instance=None, model="", object_id="", object_repr="", before=None, after=None,
          detail="", user=None, defer=False, region=_ASK):
    """Write one entry for the current actor (or `user` when given), in `region`'s trail when given
    (None: no region's, only superusers read it), else in the region of the object or the actor.

    defer=True (security events) holds it until the response is sent when in a
    request, so a rolled-back view cannot take it with it.
    """
    actor, ip, source = context.actor()
    user = user if user is not None else actor
    if instance is not None:
        model = label(instance)
        object_id = str(instance.pk or "")
        object_repr = _repr(instance)
    if region is _ASK:
        region = _region(instance, user)
    entry = Entry(
        action=action, user_pk=getattr(user, "pk", None), region_pk=region, username=getattr(user, "username", "")[:150],
        ip=ip, source=source, model=model, object_id=str(object_id)[:64], object_repr=str(object_repr)[:200],
        before=before, after=after, detail=str(detail)[:500],
        # Asked now, not through the field's default (Django's timezone.now): a simulated year (duban demo)
        # stands duban.core.clock at its moments, and its trail says when.
        at=clock.stamp(),
    )
    ctx = context.current()
    if defer and ctx is not None:
        ctx.pending.append(entry)
    else:
        entry.save()
    return entry


def flush(entries):
    for entry in entries:
        try:
            with transaction.atomic():
                entry.save()
        except Exception:  # noqa: BLE001 — the response is already made; log rather than fail it
            log.exception("could not write audit entry %s", entry)


def _repr(instance):
    try:
        return str(instance)
    except Exception:  # noqa: BLE001 — a broken __str__ must not stop the change being recorded
        return f"{instance._meta.verbose_name} #{instance.pk}"


# Model signals --------------------------------------------------------------


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or _paused.get() or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = raw_values(old, REGISTRY[sender]) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or _paused.get():  # loaddata / restore: the rows are being put back, not changed
        return
    spec = REGISTRY[sender]
    now = raw_values(instance, spec)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created or before is None:
        write(Action.CREATE, instance=instance, after=shown(now, spec))
        return
    changed = [name for name in now if to_json(now[name]) != to_json(before.get(name))]
    if changed:
        write(Action.UPDATE, instance=instance,
              before=shown({n: before.get(n) for n in changed}, spec), after=shown({n: now[n] for n in changed}, spec))


def _post_delete(sender, instance, **kwargs):
    if _paused.get():
        return
    write(Action.DELETE, instance=instance, before=shown(raw_values(instance, REGISTRY[sender]), REGISTRY[sender]))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _paused.get():
        return
    if reverse:
        # Changed from the other side (unit.led_areas.add(area)): record it on each registered owner.
        owner_model = next((m for m, s in REGISTRY.items() if sender in s.m2m), None)
        if owner_model is None or action not in {"post_add", "post_remove"}:
            return
        name = REGISTRY[owner_model].m2m[sender]
        for owner in owner_model._base_manager.filter(pk__in=pk_set or ()):
            verb = "added" if action == "post_add" else "removed"
            write(Action.UPDATE, instance=owner, after={name: {verb: [instance.pk]}})
        return
    spec = REGISTRY.get(type(instance)) or REGISTRY.get(instance._meta.concrete_model)
    if spec is None:
        return
    name = spec.m2m.get(sender)
    if action == "pre_clear":
        instance._audit_cleared = sorted(getattr(instance, name).values_list("pk", flat=True))
    elif action == "post_clear":
        removed = getattr(instance, "_audit_cleared", [])
        if removed:
            write(Action.UPDATE, instance=instance, after={name: {"removed": removed}})
    elif action in {"post_add", "post_remove"} and pk_set:
        verb = "added" if action == "post_add" else "removed"
        write(Action.UPDATE, instance=instance, after={name: {verb: sorted(pk_set)}})


# Security events --------------------------------------------------------------


def record_denial(user, action, obj=None, out_of_scope=False):
    ctx = context.current()
    if ctx is not None:
        ctx.denial_recorded = True
    kind = Action.OUT_OF_SCOPE if out_of_scope else Action.DENIED
    if obj is not None and isinstance(obj, models.Model):
        return write(kind, instance=obj, detail=action, user=user, defer=True)
    return write(kind, detail=action, user=user, defer=True)


def record_personal_data_view(request, obj, field):
    """Call when a page shows `obj`'s `field` unmasked (a complainant's phone number …)."""
    user = request.user if request.user.is_authenticated else None
    return write(Action.PERSONAL_DATA, instance=obj, detail=field, user=user, defer=True)

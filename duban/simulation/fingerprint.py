"""A hash of the database's content: the same seed must give the same hash.

Every row of Duban's own tables (the audit trail aside: it records when the
simulation really ran) is written out field by field, and the rows of a table
are sorted, so the order rows were inserted in does not matter. Ids do not
count either: a primary key is left out and a foreign key becomes the rank of
the row it points to within its table. Left out as well: auto_now
timestamps (the wall clock when rows are written in bulk), stored file names
(random by design) and password hashes (salted). Ids quoted inside JSON or
text (a notification's key) stay as they are, so two runs compared must start
from the same sequences, as on two fresh databases.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json

from django.apps import apps
from django.db import models

SKIPPED_APPS = {"audit"}
SKIPPED_FIELDS = {"accounts.User": {"password", "last_login"}}


def duban_models():
    return [
        model for config in apps.get_app_configs() if config.name.startswith("duban.")
        and config.label not in SKIPPED_APPS for model in config.get_models(include_auto_created=True)
    ]


def _skipped(model, field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return True
    if isinstance(field, models.FileField):
        return True
    return field.name in SKIPPED_FIELDS.get(model._meta.label, ())


class _Ranks(dict):
    def __missing__(self, model):
        ranks = {pk: i for i, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True))}
        self[model] = ranks
        return ranks


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def table_rows(model, ranks):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not _skipped(model, f)]
    converters = []
    for field in fields:
        if field.is_relation:
            target = ranks[field.related_model]
            converters.append(lambda v, target=target: None if v is None else target[v])
        else:
            converters.append(_value)
    rows = [repr(tuple(convert(v) for convert, v in zip(converters, values)))
            for values in model._base_manager.values_list(*[f.attname for f in fields]).iterator(chunk_size=5000)]
    rows.sort()
    return rows


def fingerprint(models_=None):
    """SHA-256 of the content of `models_` (default: every Duban model but the audit trail)."""
    digest = hashlib.sha256()
    ranks = _Ranks()
    for model in sorted(models_ or duban_models(), key=lambda m: m._meta.label):
        rows = table_rows(model, ranks)
        digest.update(f"{model._meta.label} {len(rows)}\n".encode())
        for row in rows:
            digest.update(row.encode())
            digest.update(b"\n")
    return digest.hexdigest()

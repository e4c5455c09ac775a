"""Comparing two versions of a report side by side, field by field, character by character.

Chinese text has no spaces to split words on, so the diff works on characters.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import ProgressReport

DRAFT = "draft"


@dataclass
class Side:
    key: str
    label: str
    data: dict
    version: object = None  # the ReportVersion, None for the current draft


@dataclass
class Row:
    label: str
    left: list  # [(tag, text)] with tag "equal" or "delete"
    right: list  # [(tag, text)] with tag "equal" or "insert"
    changed: bool


def as_text(name, value):
    """A field's value as the text people read, for the diff."""
    if name == "evidence":
        return "\n".join(item["name"] for item in value or [])
    if name == "contributions":
        return "\n".join(f"{item['unit']}：{item['text']}" for item in value or [])
    field = ProgressReport._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "percent":
        return f"{value}%"
    return str(value or "")


def diff(a, b):
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(("equal", a[i1:i2]))
            right.append(("equal", b[j1:j2]))
            continue
        if i2 > i1:
            left.append(("delete", a[i1:i2]))
        if j2 > j1:
            right.append(("insert", b[j1:j2]))
    return left, right


def fields():
    names = list(ProgressReport.CONTENT_FIELDS) + ["evidence", "contributions"]
    labels = {name: capfirst(ProgressReport._meta.get_field(name).verbose_name) for name in ProgressReport.CONTENT_FIELDS}
    labels.update({"evidence": _("Evidence files"), "contributions": _("Cooperating units' contributions")})
    return [(name, labels[name]) for name in names]


def compare(left, right):
    rows = []
    for name, label in fields():
        a, b = as_text(name, left.data.get(name)), as_text(name, right.data.get(name))
        segments_left, segments_right = diff(a, b)
        rows.append(Row(label, segments_left, segments_right, a != b))
    return rows


def compare_versions(report, versions, a=None, b=None, include_draft=False):
    """{"sides": [...], "left": Side, "right": Side, "rows": [Row]} or None when a or b names nothing."""
    sides = [Side(str(v.number), _("version %(number)s") % {"number": v.number}, v.data, v) for v in versions]
    if include_draft and report.is_editable:
        sides.append(Side(DRAFT, _("current draft"), report.snapshot(report.evidence.current())))
    by_key = {side.key: side for side in sides}
    if not sides:
        return {"sides": sides, "left": None, "right": None, "rows": []}
    if (a and a not in by_key) or (b and b not in by_key):
        return None
    right = by_key[b] if b else sides[-1]
    if a:
        left = by_key[a]
    else:
        index = sides.index(right)
        left = sides[index - 1] if index > 0 else right
    return {"sides": sides, "left": left, "right": right, "rows": compare(left, right)}

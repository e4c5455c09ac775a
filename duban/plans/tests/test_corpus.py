"""Plans of other places, in every format they are published in, read through the one entry point.

Each folder under corpus/ is a plan written in the conventions of a real published plan of its kind
(a Guangdong district, a Zhejiang county, a Sichuan development zone, a Hebei city, a Jiangsu district,
a Hunan county, an Anhui district reposted in traditional characters, a Shandong county-level city),
none of them Xihu's. `source.txt` / `source.html` is the plan as written; `expected.json` is what a
person reads off it, written by hand: the counts, and for every measure its number, lead and
cooperating units, stated scope, deadline, whether it is ongoing and whether it recurs. Its
`conventions` list says what the plan is there to exercise. `tools/make-test-plans` printed the same
plan as .docx, .pdf (Chromium: ruled tables across pages, repeated headers, a running page header and
page numbers) and .ofd (GB/T 33190 XML); the files are committed.

Every plan is read in every format with `duban.plans.services.read_plan_file` and compared with the
truth: the counts exactly, and each measure's lead, cooperating units, deadline, ongoing and recurring
flags exactly; and the warnings a person needs (a gap in the numbering, an item cut off, unit names
split) are given.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from duban.core.chinese import to_simplified
from duban.plans.services import import_plan_file, read_plan_file
from duban.plans.units import canonical_spelling

CORPUS = Path(__file__).resolve().parent / "corpus"
PLANS = sorted(folder.name for folder in CORPUS.iterdir() if (folder / "expected.json").exists())
FORMATS = ("txt", "docx", "pdf", "ofd")


def expected(slug):
    return json.loads((CORPUS / slug / "expected.json").read_text(encoding="utf-8"))


def formats(slug):
    """The formats a plan is printed in: every one of FORMATS, or those its truth lists under `formats`
    (a plan only an office suite makes: Word's list numbering in .docx/.doc/.wps, an Excel task list)."""
    return tuple(expected(slug).get("formats", FORMATS))


PRINTS = [(slug, fmt) for slug in PLANS for fmt in formats(slug)]


def plan_file(slug, fmt):
    folder = CORPUS / slug
    if fmt == "txt" and (folder / "source.txt").exists():
        return folder / "source.txt"  # a plan written as text is its own .txt
    return folder / f"plan.{fmt}"


def units(names):
    return [canonical_spelling(name) for name in names]


def scope_phrases(text):
    return to_simplified(text or "")


def measure_item(measure):
    recurring = getattr(measure, "recurring", None) or measure.notes.get("recurring")
    return {
        "number": "" if measure.number is None else str(measure.number),
        "lead": units(measure.lead_units),
        "cooperating": units(measure.cooperating_units),
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "ongoing": bool(measure.ongoing),
        "recurring": recurring or None,
    }


def differences(parsed, truth, fmt=""):
    """Every way the plan as read differs from the truth, one line each (empty when it is read right).

    An item's `in_text` gives what the .txt reads instead: a table copied as text does not tell a blank cell
    from one under a merge, so a blank there takes what the row above prints (docs/importing.md)."""
    found = []
    measures = list(parsed.all_measures())
    counts = {
        "areas": len(parsed.areas),
        "tasks": sum(len(area.tasks) for area in parsed.areas),
        "measures": len(measures),
        "units": len({canonical_spelling(name) for name in parsed.unit_names() if name}),
    }
    for key, value in counts.items():
        if value != truth[key]:
            found.append(f"{key}: read {value}, expected {truth[key]}")
    if parsed.year != truth["year"]:
        found.append(f"year: read {parsed.year}, expected {truth['year']}")
    if to_simplified(parsed.document_number or "") != truth["document_number"]:
        found.append(f"document number: read {parsed.document_number!r}, expected {truth['document_number']!r}")
    for index, want in enumerate(truth["items"]):
        if index >= len(measures):
            found.append(f"item {index + 1} ({want['number']}): missing")
            continue
        measure = measures[index]
        got = measure_item(measure)
        if fmt == "txt":
            want = {**want, **want.get("in_text", {})}
        for key in ("number", "lead", "cooperating", "deadline", "ongoing", "recurring"):
            wanted = units(want[key]) if key in ("lead", "cooperating") else want[key]
            if got[key] != wanted:
                found.append(f"item {index + 1} ({want['number']}) {key}: read {got[key]!r}, expected {wanted!r} "
                             f"— {measure.text[:24]}")
        scope = scope_phrases(measure.scope_text)
        for phrase in want["scope"]:
            if phrase not in scope:
                found.append(f"item {index + 1} ({want['number']}) scope: read {scope!r}, expected {phrase!r}")
        if not want["scope"] and scope:
            found.append(f"item {index + 1} ({want['number']}) scope: read {scope!r}, expected none")
    return found


@pytest.mark.parametrize(("slug", "fmt"), PRINTS)
def test_plan_is_read_as_written(slug, fmt):
    parsed = read_plan_file(plan_file(slug, fmt))
    found = differences(parsed, expected(slug), fmt)
    assert not found, f"{slug}.{fmt}:\n" + "\n".join(found)


@pytest.mark.parametrize(("slug", "fmt"), [(slug, fmt) for slug, fmt in PRINTS if expected(slug).get("warnings")])
def test_plan_warns_where_a_person_should_look(slug, fmt):
    """Numbering that jumps, an item cut off at the end, unit names run together: each is a warning
    (`warnings` in expected.json: the fragments one warning must hold, as the office reads it)."""
    with translation.override("zh-hans"):
        warnings = [str(w) for w in read_plan_file(plan_file(slug, fmt)).warnings]
    for wanted in expected(slug)["warnings"]:
        # [fragments], or {"fragments": [...], "formats": [the formats that give it], "why": …}
        fragments = wanted["fragments"] if isinstance(wanted, dict) else wanted
        if isinstance(wanted, dict) and fmt not in wanted.get("formats", FORMATS):
            assert not any(all(f in w for f in fragments) for w in warnings), (fragments, warnings)
            continue
        assert any(all(f in w for f in fragments) for w in warnings), (fragments, warnings)


@pytest.mark.parametrize("slug", PLANS)
def test_truth_is_consistent(slug):
    """The hand-written truth agrees with itself, and every format of the plan is there."""
    truth = expected(slug)
    items = truth["items"]
    assert truth["measures"] == len(items)
    assert truth["areas"] == len(dict.fromkeys(item["area"] for item in items))
    assert truth["tasks"] == len(dict.fromkeys((item["area"], item["task"]) for item in items if item.get("task")))
    assert truth["units"] == len({name for item in items for name in item["lead"] + item["cooperating"]})
    for item in items:
        assert item["deadline"] is None or item["deadline"].startswith(("2023", "2024", "2025", "2026", "2027"))
        assert not (item["ongoing"] and item["deadline"]) or item["recurring"], item
        assert item["recurring"] in (None, "monthly", "quarterly", "half-yearly", "yearly")
    for fmt in formats(slug):
        assert plan_file(slug, fmt).exists(), f"{slug}: no .{fmt}; run tools/make-test-plans (or make-office-plans)"


def test_corpus_covers_the_places_and_years():
    years = {expected(slug)["year"] for slug in PLANS}
    assert len(PLANS) >= 8
    assert {2023, 2024, 2025, 2026} <= years
    assert sum(expected(slug)["measures"] for slug in PLANS) >= 8 * 15


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PLANS)
def test_plan_imports_into_the_ledger(slug):
    """Saved (dry run) as `duban import-plan` saves it: the summary's counts are the truth's, units
    resolved through the directory's spelling rules."""
    fmt = "pdf" if "pdf" in formats(slug) else formats(slug)[-1]
    summary = import_plan_file(plan_file(slug, fmt), dry_run=True, keep_source=False)
    truth = expected(slug)
    assert {key: summary[key] for key in ("areas", "tasks", "measures", "units")} == {
        key: truth[key] for key in ("areas", "tasks", "measures", "units")}

"""Keeping the zh-Hans translation complete without gettext tools.

`python tools/i18n.py extract` collects every msgid from Python code and
templates into duban/locale/zh_Hans/LC_MESSAGES/django.po (keeping existing
translations); `compile` writes the .mo that is committed; the test suite
calls `untranslated()` and `stale_mo()` so a missing translation fails CI.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parents[1]
PO_PATH = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

GETTEXT_FUNCS = {
    "_": ("msgid",), "gettext": ("msgid",), "gettext_lazy": ("msgid",), "gettext_noop": ("msgid",),
    "pgettext": ("msgctxt", "msgid"), "pgettext_lazy": ("msgctxt", "msgid"),
    "ngettext": ("msgid", "msgid_plural"), "ngettext_lazy": ("msgid", "msgid_plural"),
    "npgettext": ("msgctxt", "msgid", "msgid_plural"), "npgettext_lazy": ("msgctxt", "msgid", "msgid_plural"),
}
SKIP_DIRS = {"tests", "migrations", "tests_browser", "static", "locale", "__pycache__"}


def _call_messages(node, where):
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name not in GETTEXT_FUNCS:
        return None
    fields = GETTEXT_FUNCS[name]
    args = node.args[: len(fields)]
    if len(args) < len(fields) or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
        return None
    message = dict(zip(fields, (a.value for a in args)))
    message["where"] = where
    return message


def python_messages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            message = _call_messages(node, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
            if message:
                found.append(message)
    return found


# templatize() writes {% trans %} as gettext(…), and _("…") in a tag's arguments (include … with x=_("…")) as is.
_CALL_START = re.compile(r"(?<![\w.])(n?p?gettext|_)\(")


def template_messages(path):
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = []
    for m in _CALL_START.finditer(code):
        depth, i = 0, m.end() - 1
        while i < len(code):
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            if depth == 0:
                break
            i += 1
        try:
            node = ast.parse(code[m.start(): i + 1], mode="eval").body
        except SyntaxError:
            continue
        line = code.count("\n", 0, m.start()) + 1
        message = _call_messages(node, f"{path.relative_to(PACKAGE.parent)}:{line}")
        if message:
            found.append(message)
    return found


def source_files():
    for path in sorted(PACKAGE.rglob("*")):
        if any(part in SKIP_DIRS for part in path.relative_to(PACKAGE).parts[:-1]):
            continue
        if path.suffix == ".py" and not path.name.startswith("test_") and path.name != "conftest.py":
            yield path
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            yield path


def app_messages(folder):
    """{msgid: message} for the translatable strings of one app folder (code and templates), first place first."""
    folder = Path(folder)
    found = {}
    for path in source_files():
        if folder in path.parents:
            for message in python_messages(path) if path.suffix == ".py" else template_messages(path):
                found.setdefault(message["msgid"], message)
    return found


def read_pairs(*paths):
    """{msgid: Chinese} from files of "msgid<TAB>中文" lines ("\\n" stands for a newline; "#" starts a comment)."""
    pairs = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                msgid, text = line.split("\t", 1)
                pairs[msgid.replace("\\n", "\n")] = text.replace("\\n", "\n")
    return pairs


def collect():
    """{(msgctxt, msgid): message} for every translatable string in the code."""
    messages = {}
    for path in source_files():
        found = python_messages(path) if path.suffix == ".py" else template_messages(path)
        for message in found:
            key = (message.get("msgctxt"), message["msgid"])
            if key in messages:
                messages[key]["where"] += " " + message["where"]
            else:
                messages[key] = message
    return messages


def load_po():
    if PO_PATH.exists():
        return polib.pofile(str(PO_PATH), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "duban",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    return po


def extract(extra_translations=None):
    """Bring the .po in line with the code. Returns (added, obsolete) counts."""
    po = load_po()
    existing = {(e.msgctxt, e.msgid): e for e in po}
    found = collect()
    added = 0
    for key, message in found.items():
        entry = existing.get(key)
        if entry is None:
            entry = polib.POEntry(msgctxt=message.get("msgctxt"), msgid=message["msgid"], msgstr="")
            if "msgid_plural" in message:
                entry.msgid_plural = message["msgid_plural"]
                entry.msgstr_plural = {0: ""}
            po.append(entry)
            added += 1
        entry.obsolete = False
        entry.occurrences = [tuple(w.rsplit(":", 1)) for w in message["where"].split()[:3]]
        if extra_translations and not _translated(entry) and entry.msgid in extra_translations:
            _set(entry, extra_translations[entry.msgid])
    obsolete = 0
    for entry in po:
        if (entry.msgctxt, entry.msgid) not in found and not entry.obsolete:
            entry.obsolete = True
            obsolete += 1
    po.sort(key=lambda e: (e.obsolete, e.msgid))
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(PO_PATH))
    return added, obsolete


def _translated(entry):
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _set(entry, text):
    if entry.msgid_plural:
        entry.msgstr_plural = {0: text}
    else:
        entry.msgstr = text


def compile_mo():
    po = load_po()
    po.save_as_mofile(str(MO_PATH))


def untranslated():
    """Messages in the code with no zh-Hans translation: [(msgid, where)]."""
    po = load_po()
    translated = {(e.msgctxt, e.msgid) for e in po if not e.obsolete and _translated(e) and not e.fuzzy}
    return [(m["msgid"], m["where"]) for key, m in collect().items() if key not in translated]


def stale_mo():
    """True when the committed .mo does not hold what the .po says."""
    if not MO_PATH.exists():
        return True
    mo = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO_PATH))}
    po = {(e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
          for e in load_po().translated_entries()}
    return {k: v for k, v in mo.items() if k[1]} != {k: v for k, v in po.items() if k[1]}

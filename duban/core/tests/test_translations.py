"""The zh-Hans catalog (duban/locale/zh_Hans): complete, compiled, well-formed, and what people see.

The catalog is Django's standard one: `make messages` (tools/messages) runs `makemessages`, which brings
duban/locale/zh_Hans/LC_MESSAGES/django.po in line with the code, then `compilemessages`, which writes the
committed django.mo. When a test here fails after you added strings: mark them in the code (gettext,
gettext_lazy, ngettext, {% translate %}, or gettext_noop for a string translated later from a variable),
run `make messages`, write the Chinese in the new entries' msgstr (and drop any "#, fuzzy" line once the
guess is checked), run `make messages` again, and commit the .po and .mo.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from duban.plans.tests import factories

PACKAGE = Path(__file__).resolve().parents[2]
PO_PATH = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
MESSAGES = PACKAGE.parent / "tools" / "messages"

# %(name)s / %(month)02d, %s / %d, the %% of a template's blocktranslate, and {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|\{\w+\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def run(args, cwd):
    """A development command as a developer runs it: the venv's django-admin, no settings module."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["BIN"] = os.path.dirname(sys.executable)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} failed (GNU gettext's xgettext/msgmerge/msgfmt are needed: Debian package "
        f"gettext, installed by tools/install-test-deps):\n{done.stdout}\n{done.stderr}")


def messages(po):
    """{(msgctxt, msgid): (msgid_plural, translations)} of a catalog's live entries."""
    return {(e.msgctxt, e.msgid): (e.msgid_plural, e.msgstr_plural and dict(e.msgstr_plural) or e.msgstr)
            for e in po if not e.obsolete}


def mo_catalog(path):
    with open(path, "rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    return {key: text for key, text in catalog.items() if key != ""}  # "" is the header, with its dates


@pytest.fixture(scope="module")
def remade(tmp_path_factory):
    """The package's code and committed .po copied aside, and `tools/messages` run on the copy: the catalog
    makemessages makes of the code as it is now (the committed files are not touched)."""
    copy = tmp_path_factory.mktemp("messages") / "duban"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "tests", "tests_*", "static", "demo", "migrations", "__pycache__", "*.mo"))
    run([MESSAGES, copy], cwd=PACKAGE.parent)
    return polib.pofile(str(copy / PO_PATH.relative_to(PACKAGE)))


def test_the_committed_catalog_holds_every_message_of_the_code_translated(remade):
    committed, made = messages(polib.pofile(str(PO_PATH))), messages(remade)
    new = sorted(msgid for _, msgid in set(made) - set(committed))
    assert not new, f"{len(new)} message(s) not in {PO_PATH} yet: run `make messages` and translate them:\n" + \
        "\n".join(f"  {msgid!r}" for msgid in new)
    gone = sorted(msgid for _, msgid in set(committed) - set(made))
    assert not gone, "in the committed catalog but no longer in the code: run `make messages`:\n" + \
        "\n".join(f"  {msgid!r}" for msgid in gone)
    assert made == committed, "the committed .po differs from what `make messages` makes of it: run it"
    untranslated = [e.msgid for e in remade if not e.obsolete and not e.translated() and not e.fuzzy]
    assert not untranslated, "messages without their Chinese (an empty msgstr in the .po):\n" + \
        "\n".join(f"  {msgid!r}" for msgid in untranslated)
    fuzzy = [e.msgid for e in remade.fuzzy_entries()]
    assert not fuzzy, "entries marked fuzzy (msgmerge's guesses, which Django does not use): check the Chinese " \
        "and delete their '#, fuzzy' line:\n" + "\n".join(f"  {msgid!r}" for msgid in fuzzy)
    # A broken extraction cannot pass by finding nothing.
    assert len(made) > 2000


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    folder = tmp_path / PO_PATH.relative_to(PACKAGE).parent
    folder.mkdir(parents=True)
    shutil.copy(PO_PATH, folder)
    run([Path(sys.executable).parent / "django-admin", "compilemessages", "--locale=zh_Hans"], cwd=tmp_path)
    compiled = mo_catalog(folder / "django.mo")
    assert len(compiled) > 2000
    assert mo_catalog(MO_PATH) == compiled, "django.mo is out of date: run `make messages` and commit it"


def test_translations_keep_the_placeholders_of_their_msgid():
    wrong = []
    for entry in polib.pofile(str(PO_PATH)):
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            # Chinese has one form, used for every count: it follows the plural msgid.
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values() if text]
        else:
            pairs = [(entry.msgid, entry.msgstr)] if entry.msgstr else []
        for source, text in pairs:
            if placeholders(source) != placeholders(text):
                wrong.append(f"  {entry.msgid!r}: {placeholders(source)} ≠ {placeholders(text)} in {text!r}")
    assert wrong == [], "translations whose placeholders differ from their msgid:\n" + "\n".join(wrong)


GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def test_no_message_hides_in_an_f_string():
    # xgettext does not look inside f"…{_('word')}…": such a word would stay English. Mark it on a line of
    # its own (word = _("word")) and put the variable in the f-string.
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts) or path.name.startswith("test"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) in GETTEXT:
                        hidden.append(f"  {path.relative_to(PACKAGE.parent)}:{call.lineno}")
    assert hidden == [], "gettext inside an f-string, which makemessages does not find:\n" + "\n".join(hidden)


def test_plural_messages_have_their_one_chinese_form():
    po = polib.pofile(str(PO_PATH))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    with translation.override("zh-hans"):
        for n in (1, 5):
            assert translation.ngettext("%(counter)s measure", "%(counter)s measures", n) % {"counter": n} \
                == f"{n}项工作举措"


def test_messages_in_a_tags_arguments_are_found():
    # {% include … with caption=_("…") %}: templatize() leaves _("…") as it is, which xgettext reads.
    entry = polib.pofile(str(PO_PATH)).find("Metrics of this area")
    assert entry and entry.msgstr
    assert ("kpi/templates/kpi/area_detail.html", "") in entry.occurrences


@pytest.fixture
def chinese(settings, client):
    settings.LANGUAGE_CODE = "zh-hans"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def assert_chinese(html, shown, not_shown):
    for text in shown:
        assert text in html, f"{text!r} missing from the page"
    for text in not_shown:
        assert text not in html, f"English {text!r} leaks into the zh-hans page"


@pytest.mark.django_db
def test_the_log_in_page_reads_in_chinese(chinese):
    html = chinese.get("/login/?next=/plans/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert_chinese(
        html,
        shown=["登录", "用户名", "密码", "督办", "营商环境行动方案台账", "请登录后查看此页面。", "跳到正文"],
        not_shown=["Log in", "User name", "Password", "Please log in", "Skip to content", "action plan ledger"],
    )


@pytest.mark.django_db
def test_the_plan_pages_read_in_chinese(chinese, office):
    chinese.force_login(office)
    html = chinese.get("/plans/").content.decode()
    assert_chinese(html, shown=["方案", "尚未导入方案。", "退出登录", "通知", "营商办工作人员"],
                   not_shown=["No plan has been imported yet.", "Log out", "Notifications", "office staff"])

    small = factories.small_plan()
    html = chinese.get("/plans/").content.decode()
    assert_chinese(html, shown=["5个工作领域", "项工作举措"], not_shown=[" areas", " measures"])

    html = chinese.get(f"/plans/{small.plan.pk}/").content.decode()
    assert_chinese(html, shown=["文号", "印发日期", "工作领域", "牵头单位", "专项行动"],
                   not_shown=["Document number", "Issue date", "Lead units"])

"""The zh-Hans catalog (duban/locale/zh_Hans): complete, compiled, well-formed, and what people see.

When a test here fails after you added strings: run `python tools/i18n.py extract`, translate the new
entries in duban/locale/zh_Hans/LC_MESSAGES/django.po (or put "msgid<TAB>中文" lines in a file and run
`python tools/i18n.py apply FILE`), then `python tools/i18n.py compile` and commit the .po and .mo.
"""

import re

import pytest

from duban.core import translations
from duban.plans.tests import factories

# %(name)s / %(month)02d, %s / %d, the %% of a template's blocktranslate, and {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|\{\w+\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_every_message_in_the_code_is_translated():
    missing = translations.untranslated()
    listing = "\n".join(f"  {where.split()[0]}: {msgid!r}" for msgid, where in missing)
    assert missing == [], (
        f"{len(missing)} message(s) have no zh-Hans translation; translate them in "
        f"{translations.PO_PATH} (see this module's docstring):\n{listing}"
    )


def test_the_committed_mo_matches_the_po():
    assert not translations.stale_mo(), "django.mo is out of date: run `python tools/i18n.py compile`"


def test_translations_keep_the_placeholders_of_their_msgid():
    wrong = []
    for entry in translations.load_po():
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
    assert_chinese(html, shown=["方案", "尚未导入方案。", "退出登录", "通知", "区营商办工作人员"],
                   not_shown=["No plan has been imported yet.", "Log out", "Notifications", "office staff"])

    small = factories.small_plan()
    html = chinese.get("/plans/").content.decode()
    assert_chinese(html, shown=["5个工作领域", "项工作举措"], not_shown=[" areas", " measures"])

    html = chinese.get(f"/plans/{small.plan.pk}/").content.decode()
    assert_chinese(html, shown=["文号", "印发日期", "工作领域", "牵头单位", "专项行动"],
                   not_shown=["Document number", "Issue date", "Lead units"])


def test_messages_in_a_tags_arguments_are_found():
    # {% include … with caption=_("…") %}: templatize() leaves _("…") as it is, not as gettext(…).
    template = translations.PACKAGE / "kpi" / "templates" / "kpi" / "area_detail.html"
    assert "Metrics of this area" in {m["msgid"] for m in translations.template_messages(template)}

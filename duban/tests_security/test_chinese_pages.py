"""Every page of the URL matrix, opened in zh-Hans by someone allowed to see it, reads without English: the
templates' strings, the models' choices and labels, the error pages (403, 404) included.

How "English" is found: the page's visible text — scripts, styles, tags and attribute values stripped,
entities decoded — is searched for runs of Latin letters. Codes and names that are Chinese usage too (PDF,
Excel, API, ID, years like 2023Q3 …) are allowed; anything else fails, with the page and the words.
"""

import html
import re

import pytest
from django.test import Client
from django.urls import get_resolver

from duban.tests_security.url_rules import NOBODY, STAFF, rule_for

from .conftest import ROLES
from .test_url_matrix import expected, path_for
from .urlwalk import walk

URLS = [u for u in walk(get_resolver().url_patterns) if rule_for(u.key) and rule_for(u.key).method == "get"]

# Latin words a Chinese page may show: file formats, protocols, brands, units of measure, ISO codes.
ALLOWED = {
    "PDF", "Word", "Excel", "CSV", "JSON", "XLSX", "xlsx", "DOCX", "docx", "xls", "csv", "json", "pdf", "API", "URL",
    "ID", "HTTP", "HTTPS", "https", "http", "OpenAPI", "REST", "TOTP", "WeCom", "DingTalk", "ECharts", "Token",
    "token", "Bearer", "QR", "SQL", "KPI", "Q", "H", "B", "T", "GB", "MB", "KB", "No", "AGPL", "OK", "Swagger", "UI",
    "CN", "JX", "XH", "Duban", "LibreOffice", "Django", "IP", "JPEG", "JPG", "PNG", "SHA",
    # Authenticator apps a clerk installs by these names; the holiday library the calendar names as its source.
    "Google", "Microsoft", "Authenticator", "FreeOTP", "chinesecalendar",
    # Keys named in Django's (Chinese) help for choosing several items: 按住 Control 或 Mac 上的 Command。
    "Control", "Command", "Mac", "LDAP",
    # File formats an upload accepts, as the page lists them.
    "OFD", "ofd", "doc", "txt", "wps", "et", "xlsm", "odt",
}
CASES = URLS
SKIP_TAGS = re.compile(r"<(script|style|template|code|pre|textarea)\b[^>]*>.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-'.#/:]*")
CODE = re.compile(r"^[A-Z]{3,}(?:-[A-Z0-9]{3,})+$")  # tracking codes: ZWFQP-JQGQK
WORD = re.compile(r"[A-Za-z][A-Za-z_\-']*[A-Za-z]|[A-Za-z]")
# What the world's data and the cast's user names bring (not the site's wording).
DATA_WORDS = {"office", "cadre", "scjg_reporter", "scjg_head", "tax_reporter", "leader", "cooperator", "admin",
              "neighbour_office", "matrix", "example", "org", "localhost", "testserver", "phone", "default", "unknown"}


def english_words(page):
    text = html.unescape(TAG.sub(" ", SKIP_TAGS.sub(" ", page)))
    # Codes with digits (2-1, KMR7-W2Y, 2023Q3, v2) and files' names (reviews.csv) are identifiers, not words.
    text = " ".join(token for token in TOKEN.findall(text)
                    if not any(c.isdigit() for c in token) and "." not in token.strip(".") and not CODE.match(token))
    words = {w for w in WORD.findall(text) if w not in ALLOWED and w.lower() not in DATA_WORDS}
    # Identifiers made of a code and digits (2-1, v2, 2023Q3, #12) are not words.
    return sorted(w for w in words if len(w) > 1 or w not in "vV")


def first_allowed(rule, world):
    for role in ROLES:
        user = world.cast[role]
        if expected(rule, user, world) == "allowed":
            return role, user
    return None, None


@pytest.mark.zh_hans
@pytest.mark.parametrize("url", CASES, ids=lambda u: f"{u.key} {u.route}")
def test_page_reads_in_chinese(url, world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    rule = rule_for(url.key)
    if rule.access in (NOBODY,):
        pytest.skip("answers 404 to everyone: its 404 page is checked by test_error_pages_read_in_chinese")
    world.url = url
    path = world.path = path_for(url, rule, world)
    if rule.obj:
        rule.obj(world)
    role, user = first_allowed(rule, world)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    headers = rule.headers(world, user) if rule.headers else {}
    response = client.get(path, headers=headers)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return  # files, redirects, JSON: their words are checked where they are made
    if rule.access == STAFF and url.key in {"admin:jsi18n"}:
        return
    page = b"".join(response).decode() if response.streaming else response.content.decode()
    words = english_words(page)
    assert not words, f"{path} as {role} shows English: {', '.join(words)}"


@pytest.mark.zh_hans
def test_error_pages_read_in_chinese(world, settings):
    settings.DEBUG = False
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.cast["scjg_reporter"])
    for path, status in (("/supervision/meetings/", 403), ("/plans/measures/999999/", 404)):
        response = client.get(path)
        assert response.status_code == status
        assert english_words(response.content.decode()) == [], path

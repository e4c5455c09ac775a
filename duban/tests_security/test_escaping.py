"""Script payloads posted to every form of the site come back escaped.

The harness signs in as the administrator, opens every page in the URL rules
(not the Django admin's own), finds each form on it, fills every text field with
a payload, sends it, and checks the answer and the page after it for the
payload in live form (a <script> element or an on…= attribute of ours).
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver

from duban.tests_security.url_rules import rule_for

from .test_url_matrix import path_for
from .urlwalk import walk

PAYLOAD = '<script>alert("xss-duban")</script>"\'><img src=x onerror=alert("xss-duban")>'
SKIP_FORMS = {"/logout/", "/admin/logout/"}


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                            "fields": {}}
            self.forms.append(self.current)
        elif self.current is not None and tag in {"input", "textarea"} and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"hidden", "checkbox", "radio"}:
                self.current["fields"].setdefault(attrs["name"], attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.current["fields"][attrs["name"]] = PAYLOAD if kind in {"text", "search"} or tag == "textarea" \
                    else attrs.get("value", "")
        elif self.current is not None and tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif tag == "option" and self.select and self.select not in self.current["fields"]:
            self.current["fields"][self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


class LivePayload(HTMLParser):
    """Finds the payload alive: inside a <script> element, or as an event-handler attribute."""

    def __init__(self):
        super().__init__()
        self.in_script, self.found = False, []

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") and value and "xss-duban" in value:
                self.found.append(f"<{tag} {name}=…>")

    def handle_data(self, data):
        if self.in_script and "xss-duban" in data:
            self.found.append("<script>…xss-duban…</script>")

    def handle_endtag(self, tag):
        self.in_script = False


def live_payload(html):
    finder = LivePayload()
    finder.feed(html)
    return finder.found


def forms_on(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def test_the_detectors_work():
    assert live_payload(f"<p>{PAYLOAD}</p>") == ["<script>…xss-duban…</script>", "<img onerror=…>"]
    from django.utils.html import escape

    assert live_payload(f"<p>{escape(PAYLOAD)}</p><input value=\"{escape(PAYLOAD)}\">") == []
    forms = forms_on('<form method="post" action="/x/"><input name="a"><textarea name="b"></textarea>'
                     '<select name="c"><option value="1">一</option></select><input type="hidden" name="d" value="v"></form>')
    assert forms == [{"action": "/x/", "method": "post", "fields": {"a": PAYLOAD, "b": PAYLOAD, "c": "1", "d": "v"}}]


PAGES = [u for u in walk(get_resolver().url_patterns)
         if not u.key.startswith("admin") and rule_for(u.key) and rule_for(u.key).method == "get"]


@pytest.mark.parametrize("url", PAGES, ids=lambda u: u.key)
def test_forms_escape_script_payloads(url, world):
    client = Client()
    client.force_login(world.cast["admin_user"])
    world.url = url
    page_path = world.path = path_for(url, rule_for(url.key), world)
    page = client.get(page_path)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return
    problems = []
    for form in forms_on(page.content.decode()):
        action = form["action"] or page_path
        if action in SKIP_FORMS or not action.startswith("/"):
            continue
        send = client.post if form["method"] == "post" else client.get
        answer = send(action, form["fields"], follow=True)
        for shown in (answer, client.get(page_path)):
            if "html" in shown.get("Content-Type", ""):
                problems += [f"{form['method'].upper()} {action}: {found}" for found in live_payload(shown.content.decode())]
    assert not problems, "\n".join(problems)

"""Production settings: `duban check --deploy` is clean, and pages need no inline script or style (CSP)."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from duban.core.csp import POLICY

PACKAGE = Path(__file__).resolve().parents[1]


def production_env(tmp_path):
    # A production process has none of the test run's settings (the browser tests allow Django's
    # async-unsafe calls for Playwright in this process, for one).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DUBAN_", "DATABASE_URL")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DUBAN_DEBUG="0", DUBAN_SECRET_KEY=secrets.token_urlsafe(50), DUBAN_ALLOWED_HOSTS="duban.example.gov.cn",
        DUBAN_VAR_DIR=str(tmp_path), DUBAN_CSRF_TRUSTED_ORIGINS="https://duban.example.gov.cn",
    )
    return env


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "duban", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path), capture_output=True, text=True, cwd=PACKAGE.parent, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_SSL_REDIRECT, s.DUBAN_CSP, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "duban.settings"},
        capture_output=True, text=True, cwd=PACKAGE.parent, timeout=60,
    )
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True", "True", "DENY"], result.stderr


@pytest.mark.django_db
def test_csp_header_when_on(client, settings):
    settings.DUBAN_CSP = True
    response = client.get("/login/")
    assert response.headers["Content-Security-Policy"] == POLICY
    assert "script-src 'self'" in POLICY and "frame-ancestors 'none'" in POLICY and "unsafe-inline" not in POLICY


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, event-handler attributes, style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line = self.getpos()[0]
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append((line, "<script> without src"))
        for name in attrs:
            if name.startswith("on"):
                self.found.append((line, f"{name}= handler"))
            if name == "style":
                self.found.append((line, "style= attribute (use a class)"))
        if attrs.get("href", "").lower().startswith("javascript:"):
            self.found.append((line, "javascript: link"))


def inline_code(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_templates_need_no_inline_script_or_style():
    problems = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8").replace("{{", "x").replace("}}", "x")
        problems += [f"{template.relative_to(PACKAGE.parent)}:{line}: {what}" for line, what in inline_code(text)]
    assert not problems, "Blocked by the Content-Security-Policy in production:\n" + "\n".join(problems)


def test_the_finder_finds():
    assert [w for _, w in inline_code('<a onclick="x()" style="color:red" href="javascript:x()">x</a><script>1</script>')] == [
        "onclick= handler", "style= attribute (use a class)", "javascript: link", "<script> without src",
    ]
    assert inline_code('<script src="/static/a.js" defer></script><script id="d" type="application/json">{}</script>') == []

"""The rest of issue 19's list: token creation and revocation audited; bodies over the size limit answered
413 (JSON on the API, a page in the user's language elsewhere, never 500); DUBAN_PROXY_COUNT trusting no
forwarded address unless the deployment says so. (Drafts: duban/progress/tests/test_draft_privacy.py;
attachments and no-store: duban/hotline/tests/test_privacy.py.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from duban.api.models import ApiToken
from duban.audit.models import Entry

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_creating_and_revoking_a_token_is_audited(office):
    client = client_for(office)
    client.post("/api/tokens/", {"name": "12345平台", "read_only": "on"})
    token = ApiToken.objects.get()
    created = Entry.objects.get(model="api.apitoken", action="create")
    assert (created.username, created.object_id, created.region_pk) == ("office", str(token.pk), office.region_id)
    assert created.after["key_hash"] == "***" and created.after["name"] == "12345平台"
    client.post(f"/api/tokens/{token.pk}/revoke/")
    revoked = Entry.objects.get(model="api.apitoken", action="update")
    assert revoked.object_id == str(token.pk) and "revoked_at" in revoked.after


def test_an_api_body_over_the_limit_is_a_json_413(client, office, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    _token, key = ApiToken.issue(name="x", user=office, read_only=False)
    response = client.post("/api/v1/reviews/bulk", "[" + "0," * 2000 + "0]", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large" and "请求内容超过" in response.json()["error"]["message_zh"]


def test_a_form_over_the_limit_speaks_chinese(office, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    settings.DUBAN_MAX_REQUEST_BYTES = 2048

    with translation.override("zh-hans"):
        client = client_for(office)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = client.post("/hotline/reviews/import/", {"file": SimpleUploadedFile("r.csv", b"x" * 4096)})
    assert response.status_code == 413 and "提交的内容超过" in response.content.decode()


def settings_value(name, **env):
    """A setting as a fresh process reads it from the environment (production variables)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_")}
    clean |= {"DUBAN_DEBUG": "0", "DUBAN_SECRET_KEY": "x" * 50, "DUBAN_ALLOWED_HOSTS": "duban.example",
              "PYTHONPATH": str(ROOT), **env}
    out = subprocess.run([sys.executable, "-c", f"from duban import settings; print(settings.{name})"],
                         env=clean, capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.strip()


def test_the_proxy_count_defaults_to_trusting_no_header():
    assert settings_value("DUBAN_PROXY_COUNT") == "0"
    assert settings_value("DUBAN_PROXY_COUNT", DUBAN_PROXY_COUNT="1") == "1"
    assert "DUBAN_PROXY_COUNT=1" in (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")


def test_a_forged_forwarded_address_does_not_dodge_the_lockout(client, scjg_reporter, settings):
    settings.DUBAN_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "scjg_reporter", "password": "wrong"}, REMOTE_ADDR="10.0.0.5",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(Entry.objects.filter(action="login_failed").values_list("ip", flat=True)) == {"10.0.0.5"}
    assert Entry.objects.filter(action="locked_out").exists()

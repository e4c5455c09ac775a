"""`make demo HOST=…` prints its links for the server it starts (DUBAN_SITE_URL follows HOST)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed here (it runs `make demo`)")
def test_demo_links_follow_the_host():
    result = subprocess.run(["make", "-p", "-n", "demo", "HOST=127.0.0.1:8011"], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    assert "demo: DUBAN_SITE_URL := http://127.0.0.1:8011" in result.stdout
    assert "runserver 127.0.0.1:8011" in result.stdout

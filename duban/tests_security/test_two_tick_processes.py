"""Two `duban tick` processes started at once (two app servers' timers) send each reminder once (issue 19,
point 7). Real processes on one database: the SQLite file of this test (IMMEDIATE transactions make the
second wait for the first), or with DUBAN_TWO_TICKS_DATABASE_URL=postgres://… a PostgreSQL database
(advisory locks: the second skips what the first is doing). Mail goes to each process's console."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import datetime
from django.utils import timezone
from duban.accounts.models import Role, User
from duban.hotline import flow
from duban.hotline.models import Category
from duban.plans.models import Unit
category = Category.objects.get(name="纳税服务")
office_unit = Unit.objects.create(region=category.region, name="区营商环境服务中心")
for n in range(3):
    User.objects.create(username=f"office{n}", role=Role.OFFICE, unit=office_unit, region=category.region,
                        email=f"office{n}@example.gov.cn")
for n in range(4):
    flow.receive(category=category, company_name=f"南昌{n}号科技有限公司", contact_name="王小明", mobile="13812345678",
                 description="退税慢。", received_at=timezone.now() - datetime.timedelta(days=20))
print("ready")
"""


def duban(*args, env, check=True):
    return subprocess.run([sys.executable, "-m", "duban", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=check, timeout=900)


def test_two_tick_processes_at_once_send_each_reminder_once(tmp_path):
    url = os.environ.get("DUBAN_TWO_TICKS_DATABASE_URL") or f"sqlite:///{tmp_path / 'duban.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DJANGO_", "DATABASE_URL"))}
    env |= {"DATABASE_URL": url, "DUBAN_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "DUBAN_DEBUG": "1"}
    duban("migrate", "--no-input", env=env)
    assert "ready" in duban("shell", "-c", SETUP, env=env).stdout
    ticks = [subprocess.Popen([sys.executable, "-m", "duban", "tick", "--job", "hotline-escalations"], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [tick.communicate(timeout=600) for tick in ticks]
    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    mails = "".join(out for out, _err in outputs)
    for n in range(3):
        # 4 complaints overdue for contact and supervised: each office member is told of each once.
        assert mails.count(f"To: office{n}@example.gov.cn") == 8, mails[:3000]
    counts = duban("shell", "-c", "from duban.core.models import Notification as N; "
                   "print('counts', N.objects.filter(user__username__startswith='office').count(), "
                   "N.objects.filter(user__username__startswith='office').values('user', 'key').distinct().count())",
                   env=env).stdout
    assert counts.split("counts", 1)[1].split() == ["24", "24"], counts
    # A third tick finds nothing left to send.
    again = duban("tick", "--job", "hotline-escalations", env=env).stdout
    assert "To: " not in again


def test_object_storage_is_chosen_from_the_environment():
    """DUBAN_STORAGE=s3 (docs/deploy.md, MinIO): every file goes to the private bucket through the storage API."""
    from .test_also import settings_value

    assert settings_value("STORAGES['default']['BACKEND']") == "django.core.files.storage.FileSystemStorage"
    env = {"DUBAN_STORAGE": "s3", "DUBAN_S3_BUCKET": "duban", "DUBAN_S3_ENDPOINT_URL": "https://minio.internal:9000"}
    assert settings_value("STORAGES['default']['BACKEND']", **env) == "storages.backends.s3.S3Storage"
    options = settings_value("STORAGES['default']['OPTIONS']", **env)
    assert "'bucket_name': 'duban'" in options and "'default_acl': 'private'" in options
    assert "'endpoint_url': 'https://minio.internal:9000'" in options

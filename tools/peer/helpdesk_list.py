"""The peer of `make bench`: django-helpdesk's staff ticket list over the same number of tickets.

Run by tools/bench.py inside its own venv (var/peer/venv: django-helpdesk 2.6.1 on Django 5.2, nothing of
Duban's), so that the ratio to Duban's complaint list comes from one run on one machine. Builds a SQLite
database of N tickets in the proportions of tools/bench.py's complaints (80 % closed, the rest open in
four queues), then times what a staff member's "Tickets" view costs: the page and the DataTables JSON
request it makes for its first 25 rows (with its counts) — the default query (open tickets, oldest
first), as the browser asks. Prints one JSON object: medians of 21 runs, in seconds.

  var/peer/venv/bin/python tools/peer/helpdesk_list.py --tickets 500000 --db var/peer/helpdesk-500000.sqlite3
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time

import django
from django.conf import settings


def configure(db):
    settings.configure(
        DEBUG=False, SECRET_KEY="peer-benchmark", ALLOWED_HOSTS=["testserver"], USE_TZ=True, TIME_ZONE="Asia/Shanghai",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db}},
        INSTALLED_APPS=["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                        "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
                        "django.contrib.humanize", "django.contrib.sites", "rest_framework", "helpdesk"],
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                    "django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
                    "django.contrib.auth.middleware.AuthenticationMiddleware",
                    "django.contrib.messages.middleware.MessageMiddleware"],
        ROOT_URLCONF=__name__, SITE_ID=1, STATIC_URL="/static/",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                                       "django.contrib.auth.context_processors.auth",
                                                       "django.contrib.messages.context_processors.messages"]}}],
        HELPDESK_TEAMS_MODE_ENABLED=False,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    django.setup()


urlpatterns = []


def build(count, seed=6):
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone
    from helpdesk.models import Queue, Ticket

    rng = random.Random(seed)
    start = timezone.make_aware(datetime.datetime(2024, 12, 1, 8, 30))
    span = 2 * 365 * 24 * 3600
    with transaction.atomic():
        staff = User.objects.create_user("peer-staff", password="x", is_staff=True)
        queues = [Queue.objects.create(title=f"队列{i}", slug=f"q{i}", email_address=f"q{i}@example.com")
                  for i in range(4)]
        owners = [User.objects.create_user(f"peer-agent-{i}", is_staff=True) for i in range(60)]

        def rows():
            for i in range(count):
                created = start + datetime.timedelta(seconds=span * i // count + rng.randint(0, 3600))
                closed = rng.random() < 0.8
                yield Ticket(
                    title=f"基准企业{rng.randint(1, 40000)}有限公司：拖欠货款", queue=rng.choice(queues),
                    created=created, modified=created, submitter_email="peer@example.com",
                    assigned_to=rng.choice(owners) if rng.random() < 0.9 else None,
                    status=Ticket.CLOSED_STATUS if closed else rng.choice((Ticket.OPEN_STATUS, Ticket.REOPENED_STATUS)),
                    description="拖欠货款，多次催要无果。" * 4, priority=3,
                    due_date=created + datetime.timedelta(days=7),
                )

        Ticket.objects.bulk_create(rows(), batch_size=2000)
    return staff


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=500_000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    fresh = not os.path.exists(args.db)
    configure(args.db)
    from django.urls import include, path

    urlpatterns.append(path("helpdesk/", include("helpdesk.urls")))
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    built = None
    if fresh:
        began = time.perf_counter()
        staff = build(args.tickets)
        built = time.perf_counter() - began
    else:
        staff = User.objects.get(username="peer-staff")
    client = Client()
    client.force_login(staff)
    page = client.get("/helpdesk/tickets/")
    assert page.status_code == 200, page.status_code
    text = page.content.decode()
    marker = "datatables_ticket_list/"
    at = text.index(marker) + len(marker)
    query = text[at: text.index('"', at)].split("'")[0]
    data_url = f"/helpdesk/datatables_ticket_list/{query}?draw=1&start=0&length=25"

    def median(url):
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        return statistics.median(times), response

    page_median, _ = median("/helpdesk/tickets/")
    data_median, data = median(data_url)
    payload = json.loads(data.content)
    assert len(payload["data"]) == 25 and payload["recordsFiltered"] > 0, payload.get("recordsFiltered")
    json.dump({"tickets": args.tickets, "built_s": built, "page_s": page_median, "data_s": data_median,
               "list_s": page_median + data_median, "open": payload["recordsFiltered"],
               "python": sys.version.split()[0], "django": django.get_version()}, sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])

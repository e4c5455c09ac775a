"""Backing up and restoring the whole database: `duban backup PATH`, `duban restore PATH`.

Three formats, chosen by the database and what is installed:
  sqlite   SQLite's online backup API: a consistent copy while the site runs.
  pg_dump  PostgreSQL's custom format, restored with pg_restore.
  json     every row of every table through Django's serializers: any database,
           slower; the fallback when pg_dump is not installed, and a way to move
           between engines. (Not dumpdata's own JSON: it cuts times to milliseconds.)
restore() recognises the format from the file's first bytes.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from .trail import paused

SQLITE, PG_DUMP, JSON = "sqlite", "pg_dump", "json"
FORMATS = (SQLITE, PG_DUMP, JSON)


class BackupError(Exception):
    pass


def default_format():
    if connection.vendor == "sqlite":
        return SQLITE
    if connection.vendor == "postgresql" and shutil.which("pg_dump"):
        return PG_DUMP
    return JSON


def detect_format(path):
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        return SQLITE
    if head.startswith(b"PGDMP"):
        return PG_DUMP
    if head.lstrip()[:1] == b"[":
        return JSON
    raise BackupError(f"{path}: not a Duban backup (neither SQLite, pg_dump custom format nor JSON)")


def backup(path, fmt=None):
    """Write a backup of the default database to `path`; returns the format used."""
    fmt = fmt or default_format()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    # Written beside the target and renamed at the end: a crash never leaves a half backup under the real name.
    tmp.unlink(missing_ok=True)
    if fmt == SQLITE:
        _require_vendor("sqlite", fmt)
        connection.ensure_connection()
        target = sqlite3.connect(tmp)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif fmt == PG_DUMP:
        _require_vendor("postgresql", fmt)
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}")
    elif fmt == JSON:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(serializers.serialize("python", _all_rows()), handle, cls=FullPrecisionEncoder, ensure_ascii=False)
    else:
        raise BackupError(f"unknown backup format {fmt!r}")
    os.replace(tmp, path)
    return fmt


def restore(path):
    """Replace every row of the default database with the backup's; returns its format."""
    fmt = detect_format(path)
    if fmt == SQLITE:
        _require_vendor("sqlite", fmt)
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("restore cannot run inside a transaction")
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif fmt == PG_DUMP:
        _require_vendor("postgresql", fmt)
        connection.close()  # pg_restore drops and recreates the tables this connection may hold
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error", str(path), database_flag=True)
    else:
        with open(path, encoding="utf-8") as handle:
            rows = json.load(handle)
        with transaction.atomic(), paused():
            # No post_migrate: content types and permissions come back from the file with their ids.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            _load(rows)
    return fmt


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _models():
    models = serializers.sort_dependencies([(config, None) for config in apps.get_app_configs()], allow_cycles=True)
    return [m for m in models if m._meta.managed and not m._meta.proxy]


def _all_rows():
    for model in _models():
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


def _load(rows):
    """What loaddata does: save raw (no signals' side effects), fix forward references, reset sequences."""
    deferred, touched = [], set()
    with connection.constraint_checks_disabled():
        for obj in serializers.deserialize("python", rows, handle_forward_references=True):
            obj.save()
            touched.add(type(obj.object))
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
    connection.check_constraints(table_names=[m._meta.db_table for m in touched])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(touched)):
            cursor.execute(sql)


def _require_vendor(vendor, fmt):
    if connection.vendor != vendor:
        raise BackupError(f"a {fmt} backup needs a {vendor} database; this one is {connection.vendor} (use --format json)")


def _run_pg(program, *args, database_flag=False):
    exe = shutil.which(program)
    if exe is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client), or use --format json")
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [exe]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{flag}={settings[key]}")
    command += list(args)
    command.append(f"--dbname={settings['NAME']}" if database_flag else settings["NAME"])
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")

"""Backing up and restoring the whole database: `duban backup PATH`, `duban restore PATH`.

Three formats, chosen by the database and what is installed:
  sqlite   SQLite's online backup API: a consistent copy while the site runs.
  pg_dump  PostgreSQL's custom format, restored with pg_restore.
  json     Django's dumpdata of every table: any database, slower; the fallback
           when pg_dump is not installed, and a way to move between engines.
restore() recognises the format from the file's first bytes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

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
        call_command("dumpdata", "--all", "--indent=0", f"--output={tmp}", verbosity=0)
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
        with transaction.atomic():
            # No post_migrate: content types and permissions come back from the file with their ids.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
    return fmt


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

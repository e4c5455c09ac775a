"""A throwaway PostgreSQL cluster for `make bench` and `make loadtest`, kept beside their data.

The cluster lives in <cache>/pg (var/bench/pg unless DUBAN_BENCH_CACHE names another folder), listens on
127.0.0.1 only, on BENCH_PGPORT (54339 by default; not the tests' 54329), with fsync off like the test
cluster of tools/run-tests: it holds data sets that can be built again, nothing else. `ensure()` starts it
(after initdb the first time) unless it is already running and says whether it did; `stop()` stops it.
Each data set is one database in it (`database_url(name)`).

    python tools/bench_pg.py start | stop | status | url NAME
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTED = False  # whether this process started the cluster (so that it stops it when done)


def cache():
    """The folder that keeps the simulated data sets (and this cluster) between runs."""
    return Path(os.environ.get("DUBAN_BENCH_CACHE") or ROOT / "var" / "bench").resolve()


def port():
    return int(os.environ.get("BENCH_PGPORT", 54339))


def data_dir():
    return cache() / "pg"


def _bin(program):
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
    return str(versions[-1] / program)


def _as_postgres(args, check=True, **kwargs):
    """Run a server program as the postgres user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=check, **kwargs)


def running():
    if not (data_dir() / "postmaster.pid").exists():
        return False
    return _as_postgres([_bin("pg_ctl"), "-D", str(data_dir()), "status"], check=False,
                        capture_output=True).returncode == 0


def ensure():
    """Start the cluster (initdb first if there is none); True if this call started it."""
    data = data_dir()
    if running():
        return False
    if not (data / "PG_VERSION").exists():
        if data.exists():
            shutil.rmtree(data)
        data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        _as_postgres([_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                      "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
    # 300 connections: the 200-user load test's gunicorn workers keep theirs (CONN_MAX_AGE); modest memory
    # settings, as the machine is shared.
    options = (f"-c listen_addresses=127.0.0.1 -p {port()} -k {data} -c fsync=off -c full_page_writes=off "
               "-c synchronous_commit=off -c max_connections=300 -c shared_buffers=512MB -c work_mem=16MB "
               "-c maintenance_work_mem=256MB -c max_wal_size=4GB -c track_io_timing=on")
    _as_postgres([_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-t", "120",
                  "-o", options, "start"], stdout=subprocess.DEVNULL)
    global STARTED
    STARTED = True
    return True


def stop():
    if running():
        _as_postgres([_bin("pg_ctl"), "-D", str(data_dir()), "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)


def database_url(name):
    return f"postgres://postgres@127.0.0.1:{port()}/{name}"


def psql(sql, database="postgres"):
    """Run SQL with psql; its output (unaligned, tuples only)."""
    return subprocess.run([_bin("psql"), "-h", "127.0.0.1", "-p", str(port()), "-U", "postgres", "-d", database,
                           "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], check=True, capture_output=True,
                          text=True).stdout


def recreate(name):
    """An empty database `name` (dropped first if it exists)."""
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def version():
    return psql("SHOW server_version").strip()


def main(argv):
    command = argv[0] if argv else "status"
    if command == "start":
        print("started" if ensure() else "already running", data_dir(), "port", port())
    elif command == "stop":
        stop()
    elif command == "status":
        print("running" if running() else "stopped", data_dir(), "port", port())
    elif command == "url":
        print(database_url(argv[1]))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

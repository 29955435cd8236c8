"""`make bench-backup`: backup and restore of N imported line items with their change history, on
PostgreSQL, beside PostgreSQL's own pg_dump and pg_restore of the same database.

    python -m bench.backup_restore --line-items 100000 [--first-format]

Builds the database carsi_bench_backup (seed data, then N line items imported through the import
service, so each starts its change history), then times: `manage.py backup`; `manage.py restore`
into a new database; pg_dump -Fc and pg_restore of the same data; and with --first-format the
format before this one (dumpdata with natural keys, loaddata), which takes many minutes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
SOURCE_DB = "carsi_bench_backup"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def manage(database, *args, quiet=True):
    env = os.environ | {"DATABASE_URL": f"{SERVER}/{database}", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=quiet, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def psql(*sql):
    for statement in sql:
        subprocess.run(["psql", f"{SERVER}/postgres", "-qc", statement], check=True)


def fresh(database):
    psql(f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}")


def timed(label, func):
    started = time.monotonic()
    result = func()
    seconds = time.monotonic() - started
    print(f"{label:<55} {seconds:8.1f} s", flush=True)
    return result, seconds


def build(count):
    fresh(SOURCE_DB)
    manage(SOURCE_DB, "migrate", "--noinput")
    manage(SOURCE_DB, "load_seed")
    rows = "".join(
        f"{2008 + row % 5},obligated,{1000 + row}.00,united-states,INCLE,{('GT', 'HN', 'SV', '')[row % 4]},"
        f"gao-13-771,backup benchmark row {row}\n"
        for row in range(count)
    )
    path = Path(tempfile.mkdtemp()) / "rows.csv"
    path.write_text("fiscal_year,stage,amount,donor,account,country,source,source_detail\n" + rows)
    timed(
        f"import {count:,} line items (with history)",
        lambda: manage(SOURCE_DB, "import_allocations", str(path)),
    )


def counts(database):
    return manage(
        database,
        "shell",
        "--no-imports",
        "-c",
        "from funding.models import Allocation; "
        "print(Allocation.objects.count(), Allocation.history.count())",
    ).split()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--line-items", type=int, default=100_000)
    parser.add_argument("--first-format", action="store_true", help="also time dumpdata/loaddata")
    options = parser.parse_args()
    build(options.line_items)
    expected = counts(SOURCE_DB)
    print(f"line items, history rows: {', '.join(expected)}")
    work = Path(tempfile.mkdtemp())

    backup_file = work / "carsi.jsonl.gz"
    timed("manage.py backup", lambda: manage(SOURCE_DB, "backup", "--output", str(backup_file)))
    print(f"{'  file size':<55} {backup_file.stat().st_size / 1e6:8.1f} MB")
    fresh("carsi_bench_restored")
    manage("carsi_bench_restored", "migrate", "--noinput")
    timed("manage.py restore", lambda: manage("carsi_bench_restored", "restore", str(backup_file)))
    assert counts("carsi_bench_restored") == expected, "the restore lost rows"

    dump_file = work / "carsi.pgdump"
    timed(
        "pg_dump -Fc (PostgreSQL's own)",
        lambda: subprocess.run(["pg_dump", "-Fc", "-f", str(dump_file), f"{SERVER}/{SOURCE_DB}"], check=True),
    )
    print(f"{'  file size':<55} {dump_file.stat().st_size / 1e6:8.1f} MB")
    fresh("carsi_bench_pgrestored")
    timed(
        "pg_restore (PostgreSQL's own)",
        lambda: subprocess.run(
            ["pg_restore", "-d", f"{SERVER}/carsi_bench_pgrestored", str(dump_file)], check=True
        ),
    )
    assert counts("carsi_bench_pgrestored") == expected

    if options.first_format:
        old_file = work / "carsi.json.gz"
        excluded = ["contenttypes", "auth.permission", "funding.subtotal", "sessions", "axes"]
        exclude = [argument for name in excluded for argument in ("--exclude", name)]
        timed(
            "first format: dumpdata --natural-foreign",
            lambda: manage(SOURCE_DB, "dumpdata", "--natural-foreign", *exclude, "--output", str(old_file)),
        )
        fresh("carsi_bench_loaded")
        manage("carsi_bench_loaded", "migrate", "--noinput")
        timed(
            "first format: loaddata (restore of that file)",
            lambda: manage("carsi_bench_loaded", "restore", str(old_file)),
        )
        assert counts("carsi_bench_loaded") == expected


if __name__ == "__main__":
    main()

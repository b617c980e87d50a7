"""Contact import speed through import_run, against a plain COPY of the same file.

Imports bench/data/contacts.csv (make it with bench/generate.py) into the PostgreSQL
database named by DATABASE_URL as one job (duplicates skipped, matched on email and
phone, company names linked to accounts), then times `COPY` of the same file into an
unindexed temporary table: the physical limit. `--rows N` imports only the first N rows
(copied to a temporary file) for a quick check.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench \
        .venv/bin/python bench/import_speed.py [--rows 100000]
"""

import argparse
import csv
import os
import resource
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
DATA = Path(__file__).resolve().parent / "data"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from amity.customers.import_jobs import ImportJob, ImportStatus  # noqa: E402
from amity.customers.imports.runner import import_run  # noqa: E402
from amity.customers.models import Account, Contact  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402

MAPPING = {"external_id": "external_id", "given_name": "given_name",
           "family_name": "family_name", "email": "email", "phone": "phone",
           "company": "account", "country": "country"}
COLUMNS = ["external_id", "given_name", "family_name", "email", "phone", "account",
           "company", "country", "dup_of"]


def prepare(rows: int | None, media: Path) -> tuple[Path, int]:
    """The file to import (the first `rows` rows copied aside) and its row count."""
    source = DATA / "contacts.csv"
    if not source.exists():
        sys.exit("No bench/data/contacts.csv: run bench/generate.py first.")
    if rows is None:
        with open(source, encoding="utf-8") as f:
            return source, sum(1 for _ in f) - 1
    target = media / f"contacts-{rows}.csv"
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        out.writelines(islice(f, rows + 1))
    return target, rows


def setup_owner() -> User:
    """A sales manager (sees every contact) and the accounts, loaded by COPY once."""
    team, _ = Team.objects.get_or_create(name="Import bench")
    user, _ = User.objects.get_or_create(
        username="import-bench", defaults={"role": Role.objects.get(key="sales_manager"),
                                           "team": team, "email": "bench@bench.example"})
    if not Account.objects.exists():
        now = timezone.now().isoformat()
        with connection.cursor() as cursor, cursor.copy(
            "COPY customers_account (name, type, industry, website, phone, city, country, "
            "description, owner_id, team_id, created_at, updated_at, version, "
            "deleted_by_cascade, legal_name, lifecycle_stage, revenue_currency, tier, language, "
            "custom) "
            "FROM STDIN"
        ) as copy, open(DATA / "accounts.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                copy.write_row((row["name"], "prospect", "", "", "", row["city"],
                                row["country"], "", user.pk, team.pk, now, now, 1, False,
                                "", "", "", "", "", "{}"))
    return user


def copy_limit(path: Path) -> float:
    """Seconds to COPY the file into an unindexed temporary table."""
    columns = ", ".join(f"{name} text" for name in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE copy_limit ({columns})")
        started = time.perf_counter()
        with cursor.copy("COPY copy_limit FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE copy_limit")
    return seconds


def write_floor() -> float:
    """Seconds to write the imported contacts and their events again with INSERT … SELECT:
    the same indexes and foreign-key checks, no Python and no validation (rolled back)."""
    columns = ", ".join(f.column for f in Contact._meta.concrete_fields if not f.primary_key)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        cursor.execute(f"INSERT INTO customers_contact ({columns}) "
                       f"SELECT {columns} FROM customers_contact")
        cursor.execute("INSERT INTO events_event (subject_type_id, subject_id, kind, "
                       "occurred_at, payload, actor_id) SELECT subject_type_id, subject_id, "
                       "kind, occurred_at, payload, actor_id FROM events_event")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def import_once(user: User, path: Path) -> tuple[ImportJob, float]:
    """One import job of the whole file into an empty contact table; its wall time."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customers_contact, events_event, customers_importrowerror "
                       "CASCADE")
    job = ImportJob(owner=user, filename=path.name, format="csv", encoding="utf-8",
                    headers=COLUMNS, mapping={h: MAPPING.get(h) for h in COLUMNS},
                    match_on=["email", "phone"], status=ImportStatus.QUEUED)
    with open(path, "rb") as f:
        job.file.save(path.name, File(f), save=False)
    job.save()
    started = time.perf_counter()
    job = import_run(job.pk)
    return job, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None, help="import only the first N rows")
    parser.add_argument("--runs", type=int, default=1, help="repeat, report the medians")
    parser.add_argument("--keep", action="store_true", help="keep the imported contacts")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the write floor (minutes at 1M rows)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media
        path, rows = prepare(args.rows, Path(media))
        settings.IMPORT_MAX_FILE_BYTES = max(settings.IMPORT_MAX_FILE_BYTES,
                                             path.stat().st_size)
        user = setup_owner()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE customers_account")
        runs = []
        for _run in range(args.runs):
            job, seconds = import_once(user, path)
            runs.append((seconds, copy_limit(path)))
            print(f"run {len(runs)}: {rows / seconds:,.0f} rows/s, "
                  f"{seconds / runs[-1][1]:.1f} x COPY", flush=True)
        floor = None if args.no_floor else write_floor()
        if not args.keep:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE customers_contact, events_event, "
                               "customers_importrowerror CASCADE")
    seconds = statistics.median(s for s, _l in runs)
    limit = statistics.median(lim for _s, lim in runs)
    ratio = statistics.median(s / lim for s, lim in runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {rows:,}: {job.status}, created {job.created:,}, skipped {job.skipped:,}, "
          f"failed {job.failed:,}; medians of {len(runs)} run(s)")
    print(f"import_run   {seconds:8.2f} s  {rows / seconds:10,.0f} rows/s")
    print(f"COPY (limit) {limit:8.2f} s  {rows / limit:10,.0f} rows/s  (unindexed table)")
    if floor:
        print(f"write floor  {floor:8.2f} s  {job.created / floor:10,.0f} rows/s  (the created "
              "contacts and events again by INSERT … SELECT: indexes, FK checks, no Python)")
    print(f"ratio        {ratio:8.1f} x the COPY time; peak RSS {peak:,.0f} MB")
    rows_arg = f" --rows {args.rows}" if args.rows else ""
    runs_arg = f" --runs {args.runs}" if args.runs > 1 else ""
    floor_arg = " --no-floor" if args.no_floor else ""
    print(f"repeat: DATABASE_URL={os.environ.get('DATABASE_URL', '')} "
          f".venv/bin/python bench/import_speed.py{rows_arg}{runs_arg}{floor_arg}")


if __name__ == "__main__":
    main()

"""Full lead score recomputation: leads per second, against a plain SQL UPDATE of the
same rows (the limit: the rows rewritten, no Python, no reads of events).

Generates `--leads` leads (fixed seed; names, industries, titles and regions in English,
Thai, Persian and Chinese) with about `--events` behaviour events per lead (email opened,
page visited, form sent, up to 90 days old) into the database named by DATABASE_URL
(COPY on PostgreSQL), once. Each run first puts every score back to 0 (untimed), so the
recompute rewrites every lead whose score is not 0 and announces each lead that becomes
ready for sales (one event each, through the event stream), as the first recompute after
a model change does; then recomputes again with nothing to change (the nightly run's
floor: read, score, compare); then the limit, one UPDATE setting score and grade on every
row. Prints the median of `--runs` runs.

    createdb -h 127.0.0.1 -U postgres amity_bench_routing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench_routing \\
        .venv/bin/python bench/lead_scoring.py --leads 1000000 --runs 3
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from amity.events.models import Event  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402
from amity.sales.lead_scoring import READY, score_all_leads  # noqa: E402
from amity.sales.models import Lead, ScoringModel  # noqa: E402

SEED = 20261202
INDUSTRIES = ["Software", "ซอฟต์แวร์", "نرم‌افزار", "软件", "Retail", "ค้าปลีก", "بانکداری",
              "金融", "Manufacturing", "Logistics"]
TITLES = ["CEO", "Sales Manager", "ผู้จัดการฝ่ายขาย", "مدیر فروش", "销售经理", "Engineer",
          "Director of IT", "นักพัฒนา", "کارشناس", "工程师"]
COUNTRIES = [("TH", "กรุงเทพมหานคร", "10110"), ("IR", "تهران", "1439813813"),
             ("CN", "上海", "200000"), ("US", "California", "94105"), ("DE", "Berlin", "10115")]
SOURCES = ["web", "event", "partner", "import", "email"]
KINDS = ["email.opened", "web.page_visited", "form.sent"]
MODEL = {
    "criteria": [
        {"field": "industry", "op": "in", "value": ["software", "ซอฟต์แวร์", "نرم‌افزار", "软件"],
         "points": 25},
        {"field": "employees", "op": "gte", "value": 200, "points": 15},
        {"field": "employees", "op": "gte", "value": 2000, "points": 10},
        {"field": "country", "op": "in", "value": ["TH", "IR", "CN"], "points": 10},
        {"field": "job_title", "op": "contains", "value": "manager", "points": 10},
        {"field": "job_title", "op": "contains", "value": "ผู้จัดการ", "points": 10},
        {"field": "job_title", "op": "contains", "value": "مدیر", "points": 10},
        {"field": "job_title", "op": "contains", "value": "经理", "points": 10},
        {"field": "source", "op": "equals", "value": "partner", "points": 5},
        {"field": "company", "op": "is_set", "value": "", "points": 2},
    ],
    "behaviours": [
        {"event_kind": "email.opened", "points": 4, "half_life_days": 14, "cap": 20},
        {"event_kind": "web.page_visited", "points": 2, "half_life_days": 7, "cap": 20},
        {"event_kind": "form.sent", "points": 15, "half_life_days": 30, "cap": 30},
    ],
    # About 3 % of the generated leads reach A: each is announced ready for sales.
    "grades": [{"grade": "A", "min": 70}, {"grade": "B", "min": 45}, {"grade": "C", "min": 20}],
    "ready_grade": "A",
}


def lead_rows(count: int, rng: random.Random, owners: list[int], team: int):
    now = timezone.now()
    for i in range(count):
        country, region, postcode = rng.choice(COUNTRIES)
        yield {
            "given_name": f"Given{i}", "family_name": f"Family{i}",
            "company": "" if rng.random() < 0.2 else f"Company {rng.randrange(100_000)}",
            "job_title": rng.choice(TITLES), "industry": rng.choice(INDUSTRIES),
            "employees": rng.choice([None, 5, 50, 250, 1200, 5000]), "country": country,
            "region": region, "postcode": postcode, "source": rng.choice(SOURCES),
            "owner_id": owners[i % len(owners)], "team_id": team,
            "created_at": now, "updated_at": now,
        }


def full_row(values: dict) -> list:
    """Every concrete column of Lead in order: the generated values, else the field's
    default (JSON as text), else NULL or the empty string."""
    row = []
    for f in Lead._meta.concrete_fields:
        if f.column == "id":
            continue
        if f.attname in values:
            value = values[f.attname]
        elif f.has_default():
            value = f.get_default()
            value = json.dumps(value) if isinstance(value, dict | list) else value
        else:
            value = None if f.null else ""
        row.append(value)
    return row


def columns() -> list[str]:
    return [f.column for f in Lead._meta.concrete_fields if f.column != "id"]


def insert(table: str, cols: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(cols))
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                                       batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)


def load(leads: int, events_per_lead: float) -> None:
    if Lead.objects.exists():
        print(f"using the {Lead.objects.count():,} leads already loaded")
        return
    rng = random.Random(SEED)
    team = Team.objects.create(name="Bench sales")
    rep = Role.objects.get(key="sales_rep")
    owners = [User.objects.create(username=f"bench{i}", email=f"bench{i}@bench.example",
                                  role=rep, team=team).pk for i in range(50)]
    started = time.perf_counter()
    with transaction.atomic():
        insert(Lead._meta.db_table, columns(),
               (full_row(v) for v in lead_rows(leads, rng, owners, team.pk)))
    first = Lead.objects.order_by("pk").values_list("pk", flat=True)[0]
    lead_type = ContentType.objects.get_for_model(Lead).pk
    now = timezone.now()
    event_count = int(leads * events_per_lead)

    def events():
        for _i in range(event_count):
            age = dt.timedelta(seconds=rng.randrange(90 * 86400))
            yield [lead_type, first + rng.randrange(leads), rng.choice(KINDS), now - age, None,
                   "{}"]

    with transaction.atomic():
        insert(Event._meta.db_table, ["subject_type_id", "subject_id", "kind", "occurred_at",
                                      "actor_id", "payload"], events())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded {leads:,} leads and {event_count:,} events in "
          f"{time.perf_counter() - started:.0f} s")


def reset() -> None:
    """Scores back to 0 and the ready events of earlier runs gone (untimed)."""
    table = connection.ops.quote_name(Lead._meta.db_table)
    events = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = 0, grade = '' WHERE score <> 0 "
                       f"OR grade <> ''")
        cursor.execute(f"DELETE FROM {events} WHERE kind = %s", [READY])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")


def limit() -> float:
    """One UPDATE giving every lead a score and grade from its id: the rows rewritten."""
    table = connection.ops.quote_name(Lead._meta.db_table)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = id % 100, grade = CASE "
                       "WHEN id % 100 >= 80 THEN 'A' WHEN id % 100 >= 50 THEN 'B' "
                       "WHEN id % 100 >= 25 THEN 'C' ELSE '' END")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--events", type=float, default=1.0, help="events per lead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load(args.leads, args.events)
    ScoringModel.objects.update_or_create(key="default", defaults=MODEL)
    count = Lead.objects.count()
    cold, warm, floor, changed = [], [], [], 0
    for run in range(args.runs):
        reset()
        started = time.perf_counter()
        _read, changed = score_all_leads(batch=args.batch)
        cold.append(time.perf_counter() - started)
        ready = Event.objects.filter(kind=READY).count()
        started = time.perf_counter()
        score_all_leads(batch=args.batch)  # nothing changed: reads and computes only
        warm.append(time.perf_counter() - started)
        reset()
        floor.append(limit())
        print(f"run {run + 1}: recompute from zero {cold[-1]:.1f} s ({changed:,} changed, "
              f"{ready:,} ready), again {warm[-1]:.1f} s, SQL UPDATE {floor[-1]:.1f} s", flush=True)
    rate = {name: count / statistics.median(times)
            for name, times in (("cold", cold), ("warm", warm), ("floor", floor))}
    print(f"\n{connection.vendor}, {count:,} leads, {Event.objects.count():,} events, "
          f"{args.runs} runs, batch {args.batch}")
    print(f"full recompute from zero: {rate['cold']:,.0f} leads/s (median "
          f"{statistics.median(cold):.1f} s; {changed:,} scores written, {ready:,} leads "
          f"announced ready for sales, one event each)")
    print(f"full recompute, nothing changed (the nightly decay run's floor): "
          f"{rate['warm']:,.0f} leads/s (median {statistics.median(warm):.1f} s)")
    print(f"plain SQL UPDATE of the same rows: {rate['floor']:,.0f} leads/s "
          f"(median {statistics.median(floor):.1f} s)")
    print(f"ratio from zero: {rate['cold'] / rate['floor']:.2f} of the limit")
    print("repeat: " + " ".join(["DATABASE_URL=" + os.environ.get("DATABASE_URL", "(sqlite)"),
                                 ".venv/bin/python", *sys.argv]))


if __name__ == "__main__":
    main()

"""The forecast roll-up of a 50-rep team over 200,000 opportunities, server-side,
against the raw SQL aggregate it rests on.

Builds (once, fixed seed) a team tree Sales → 5 regions → 10 teams of 5 reps, a manager
at the top, monthly exchange rates for EUR, THB and JPY, and 200,000 opportunities
(COPY) in four currencies, open, won and lost, closing over 2025–2027. Then times, for
one quarter, p50 and p95 over BENCH_RUNS calls:

- raw SQL: the grouped aggregate (owner, currency, status, category) alone, no rates;
- raw SQL with rates: the same with the rate in force on each close date (subquery);
- forecast(): the selector (access gate, grouped aggregate, rates, quotas, the tree);
- the forecast page (GET /sales/forecast/) without and with the changes since last
  week's snapshot (taken, and its time printed, before the runs), and the API
  (GET /api/v1/forecasts/), through Django's full request path, for the manager
  (50 reps) and for one rep (team scope).

    createdb -h 127.0.0.1 -U postgres amity_bench_forecasts
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench_forecasts \\
        .venv/bin/python bench/forecast_speed.py [--opportunities 200000]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SEED = 20260105

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from amity.core.exchange_rates import ExchangeRate  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402
from amity.sales.forecast_snapshots import take_snapshot  # noqa: E402
from amity.sales.forecasts import forecast  # noqa: E402
from amity.sales.models import (  # noqa: E402
    ForecastSnapshot,
    Opportunity,
    Pipeline,
    Quota,
    Stage,
)
from amity.sales.periods import parse_period  # noqa: E402

PERIOD = "2026-Q2"
CURRENCIES = (("USD", 60), ("EUR", 20), ("THB", 15), ("JPY", 5))
STATUSES = (("open", 50), ("won", 30), ("lost", 20))
CATEGORIES = (("pipeline", 50), ("best_case", 25), ("commit", 20), ("omitted", 5))
FIRST_DAY, DAYS = dt.date(2025, 1, 1), 3 * 365


def pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def make_org() -> tuple[User, list[User]]:
    sales = Team.objects.create(name="Sales")
    rep_role, manager_role = Role.objects.get(key="sales_rep"), Role.objects.get(
        key="sales_manager")
    reps = []
    for r in range(5):
        region = Team.objects.create(name=f"Region {r}", parent=sales)
        for t in range(2):
            team = Team.objects.create(name=f"Team {r}.{t}", parent=region)
            for i in range(5):
                name = f"rep{r}{t}{i}"
                reps.append(User.objects.create(username=name, email=f"{name}@bench.example",
                                                role=rep_role, team=team))
    manager = User.objects.create(username="manager", email="manager@bench.example",
                                  role=manager_role, team=sales)
    return manager, reps


def make_reference_data(reps: list[User]) -> tuple[Pipeline, dict[str, Stage]]:
    pipeline = Pipeline.objects.create(name="New business", is_default=True)
    stages = {outcome: Stage.objects.create(pipeline=pipeline, name=outcome.title(),
                                            position=i, probability=Decimal(p),
                                            outcome=outcome)
              for i, (outcome, p) in enumerate((("open", 40), ("won", 100), ("lost", 0)))}
    rng = random.Random(SEED + 1)
    for currency, base in (("EUR", 1.1), ("THB", 0.029), ("JPY", 0.0068)):
        for month in range(36):
            day = dt.date(2025 + month // 12, month % 12 + 1, 1)
            rate = Decimal(str(round(base * rng.uniform(0.95, 1.05), 6)))
            ExchangeRate.objects.create(currency=currency, valid_from=day, rate=rate)
    for rep in reps:
        for month in range(1, 13):
            Quota.objects.create(rep=rep, period_kind="month", amount=Decimal(250000),
                                 period_start=dt.date(2026, month, 1))
    return pipeline, stages


def load(count: int) -> None:
    """The organisation through the ORM, the opportunities by COPY."""
    if Opportunity.objects.exists():
        return
    _manager, reps = make_org()
    pipeline, stages = make_reference_data(reps)
    rng = random.Random(SEED)
    now = timezone.now()
    columns = ("name, owner_id, team_id, created_at, updated_at, version, deleted_by_cascade, "
               "pipeline_id, stage_id, status, amount, currency, probability, probability_manual, "
               "close_date, "
               "forecast_category, stage_entered_at, closed_at, lost_reason, competitor, "
               "description, custom")
    with connection.cursor() as cursor, cursor.copy(
            f"COPY sales_opportunity ({columns}) FROM STDIN") as copy:
        for i in range(count):
            rep = reps[rng.randrange(len(reps))]
            status = pick(rng, STATUSES)
            close = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            closed = (dt.datetime.combine(close, dt.time(10), tzinfo=dt.UTC)
                      if status != "open" else None)
            category = pick(rng, CATEGORIES) if status == "open" else "closed"
            amount = Decimal(rng.randrange(100_000, 10_000_000)) / 100
            created = dt.datetime.combine(close - dt.timedelta(days=rng.randrange(10, 200)),
                                          dt.time(9), tzinfo=dt.UTC)
            copy.write_row((f"Deal {i}", rep.pk, rep.team_id, created, now, 1, False,
                            pipeline.pk, stages[status].pk, status, amount,
                            pick(rng, CURRENCIES), rng.choice((10, 25, 40, 60, 80)), False, close,
                            category, created, closed, "", "", "", "{}"))
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, so the partial indexes answer without the heap
        # (autovacuum is off here; a live database's autovacuum does the same).
        cursor.execute("VACUUM ANALYZE sales_opportunity")


# The same two grouped aggregates forecast() runs (open by close date, won by the day
# they closed), first without and then with the rate in force looked up per row.
RAW_AGGREGATE = ["""
    SELECT owner_id, currency, forecast_category, SUM(amount), SUM(amount * probability),
           COUNT(*)
    FROM sales_opportunity
    WHERE deleted IS NULL AND amount IS NOT NULL AND status = 'open'
      AND close_date BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2, 3
""", """
    SELECT owner_id, currency, SUM(amount), COUNT(*)
    FROM sales_opportunity
    WHERE deleted IS NULL AND amount IS NOT NULL AND status = 'won'
      AND closed_at >= %(start)s AND closed_at < %(after)s
    GROUP BY 1, 2
"""]
RATE_FROM = """(SELECT r.valid_from FROM core_exchangerate r
                WHERE r.currency = o.currency AND r.valid_from <= {day}
                ORDER BY r.valid_from DESC LIMIT 1)"""
RAW_WITH_RATES = [f"""
    SELECT owner_id, currency, forecast_category, rate_from, SUM(amount),
           SUM(amount * probability), COUNT(*)
    FROM (SELECT o.*, {RATE_FROM.format(day="LEAST(o.close_date, CURRENT_DATE)")} AS rate_from
          FROM sales_opportunity o
          WHERE o.deleted IS NULL AND o.amount IS NOT NULL AND o.status = 'open'
            AND o.close_date BETWEEN %(start)s AND %(end)s) o
    GROUP BY 1, 2, 3, 4
""", f"""
    SELECT owner_id, currency, rate_from, SUM(amount), COUNT(*)
    FROM (SELECT o.*, {RATE_FROM.format(day="o.closed_at::date")} AS rate_from
          FROM sales_opportunity o
          WHERE o.deleted IS NULL AND o.amount IS NOT NULL AND o.status = 'won'
            AND o.closed_at >= %(start)s AND o.closed_at < %(after)s) o
    GROUP BY 1, 2, 3
"""]


def timed(fn) -> tuple[float, float]:
    """p50 and p95 in milliseconds over RUNS calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def raw(statements: list[str], params: dict):
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
    return run


def page(client: Client, url: str, params: dict):
    def run():
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
    return run


def cases(manager: User, rep: User) -> list:
    period = parse_period(PERIOD)
    params = {"start": period.start, "end": period.end,
              "after": period.end + dt.timedelta(days=1)}
    found = [("raw SQL aggregate (no rates)", raw(RAW_AGGREGATE, params)),
             ("raw SQL aggregate with dated rates", raw(RAW_WITH_RATES, params)),
             ("forecast() selector, manager (50 reps)",
              lambda: forecast(user=User.objects.get(pk=manager.pk), period=period))]
    for who, user in (("manager (50 reps)", manager), ("rep (team scope)", rep)):
        client = Client()
        client.force_login(user)
        found += [(f"forecast page, {who}", page(client, "/sales/forecast/",
                                                 {"period": PERIOD, "since": "none"})),
                  (f"forecast page with changes, {who}",
                   page(client, "/sales/forecast/", {"period": PERIOD})),
                  (f"forecast API, {who}", page(client, "/api/v1/forecasts/",
                                                {"period": PERIOD}))]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opportunities", type=int, default=200_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(args.opportunities)
    period = parse_period(PERIOD)
    in_period = Opportunity.objects.filter(close_date__range=(period.start, period.end)).count()
    print(f"data ready in {time.perf_counter() - started:.0f} s: "
          f"{Opportunity.objects.count():,} opportunities, {in_period:,} closing in {PERIOD}, "
          f"{User.objects.filter(role__key='sales_rep').count()} reps")
    manager, rep = User.objects.get(username="manager"), User.objects.get(username="rep000")
    # Last week's snapshot, which the page compares with by default (the weekly job).
    ForecastSnapshot.objects.all().delete()
    started = time.perf_counter()
    snapshot = take_snapshot(today=timezone.localdate() - dt.timedelta(days=7))
    print(f"weekly snapshot taken in {time.perf_counter() - started:.1f} s: "
          f"{snapshot.lines.count():,} opportunities")
    baseline = None
    print(f"{'case':<45} {'p50 ms':>8} {'p95 ms':>8} {'× raw':>7}")
    for name, fn in cases(manager, rep):
        p50, p95 = timed(fn)
        baseline = baseline or p50
        print(f"{name:<45} {p50:8.1f} {p95:8.1f} {p50 / baseline:7.1f}")
    print(f"runs per case: {RUNS}; repeat with: DATABASE_URL=… .venv/bin/python "
          f"bench/forecast_speed.py --opportunities {args.opportunities}")


if __name__ == "__main__":
    main()

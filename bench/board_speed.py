"""Board speed: the board of a pipeline with 10,000 open opportunities among 200,000,
server-side, against the raw SQL of its aggregate (counts and totals per stage and
currency) and of its first cards.

Generates the data with a fixed seed (COPY into the PostgreSQL database named by
DATABASE_URL), then times the board page through Django's full request path
(middleware, access gate, view, template) for a manager (sees all) and a rep (team).

    createdb -h 127.0.0.1 -U postgres amity_bench_pipelines
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench_pipelines \\
        .venv/bin/python bench/board_speed.py

BENCH_OPPORTUNITIES (200000) and BENCH_OPEN (10000) scale it down; BENCH_RUNS (30).
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
TOTAL = int(os.environ.get("BENCH_OPPORTUNITIES", "200000"))
OPEN = int(os.environ.get("BENCH_OPEN", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SEED = 20261202

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from amity.core.exchange_rates import ExchangeRate  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402
from amity.sales.board import CARD_ORDER, CARDS_SHOWN  # noqa: E402
from amity.sales.models import Opportunity, Pipeline, Stage  # noqa: E402
from amity.sales.pipeline_services import pipeline_seed_default  # noqa: E402

CURRENCIES = {"USD": None, "THB": "0.028", "EUR": "1.08", "CNY": "0.14", "IRR": "0.0000238"}
COLUMNS = ("name, account_id, pipeline_id, stage_id, status, amount, currency, probability, "
           "probability_manual, close_date, forecast_category, stage_entered_at, closed_at, "
           "lost_reason, competitor, description, custom, owner_id, team_id, created_at, "
           "updated_at, version, deleted_by_cascade")


def _people() -> list[User]:
    sales = Team.objects.create(name="Sales")
    teams = [Team.objects.create(name=f"Sales {i}", parent=sales) for i in range(5)]
    rep = Role.objects.get(key="sales_rep")
    users = [User.objects.create(username=f"rep{i}", email=f"rep{i}@bench.example", role=rep,
                                 team=teams[i % 5]) for i in range(50)]
    User.objects.create(username="manager", email="manager@bench.example", team=sales,
                        role=Role.objects.get(key="sales_manager"))
    return users


def _pipelines() -> list[Pipeline]:
    board = pipeline_seed_default() or Pipeline.objects.get(is_default=True)
    others = []
    for name in ("Renewal", "Partner"):
        other = Pipeline.objects.create(name=name, position=len(others) + 1)
        for i, (stage, p, outcome) in enumerate((("Open", 30, "open"), ("Review", 60, "open"),
                                                 ("Won", 100, "won"), ("Lost", 0, "lost")), 1):
            Stage.objects.create(pipeline=other, name=stage, position=i, probability=p,
                                 outcome=outcome)
        others.append(other)
    return [board, *others]


def _accounts(users: list[User], count: int) -> list[int]:
    now = timezone.now().isoformat()
    with connection.cursor() as cursor, cursor.copy(
        "COPY customers_account (name, type, industry, website, phone, city, country, "
        "description, owner_id, team_id, created_at, updated_at, version, deleted_by_cascade, "
        "legal_name, lifecycle_stage, revenue_currency, tier, language, custom) FROM STDIN"
    ) as copy:
        for i in range(count):
            owner = users[i % len(users)]
            copy.write_row((f"Account {i:06}", "customer", "", "", "", "", "", "", owner.pk,
                            owner.team_id, now, now, 1, False, "", "", "", "", "", "{}"))
    from amity.customers.models import Account

    return list(Account.objects.order_by("id").values_list("id", flat=True))


def _row(rng: random.Random, i: int, pipeline: Pipeline, stages: list[Stage], is_open: bool,
         users: list[User], accounts: list[int], now: dt.datetime) -> tuple:
    owner = users[rng.randrange(len(users))]
    choices = [s for s in stages if (s.outcome == "open") == is_open]
    stage = rng.choice(choices)
    currency = rng.choice(list(CURRENCIES))
    amount = Decimal(rng.randrange(1_000, 5_000_000)) * (50_000 if currency == "IRR" else 1)
    changed = now - dt.timedelta(minutes=rng.randrange(1, 400 * 24 * 60))
    status = stage.outcome
    return (f"Opportunity {i:07}", rng.choice(accounts), pipeline.pk, stage.pk, status, amount,
            currency, stage.probability, False,
            (now + dt.timedelta(days=rng.randrange(-200, 200))).date(),
            "pipeline" if is_open else "closed", changed, None if is_open else changed,
            "Price" if status == "lost" else "", "", "", "{}", owner.pk, owner.team_id, changed,
            changed, 1, False)


def load() -> None:
    """Users, pipelines, rates, accounts, then the opportunities by COPY (fixed seed)."""
    if Opportunity.objects.exists():
        return
    rng = random.Random(SEED)
    users = _people()
    pipelines = _pipelines()
    first = dt.date(2026, 1, 1)
    for currency, rate in CURRENCIES.items():
        if rate:
            ExchangeRate.objects.create(currency=currency, valid_from=first, rate=Decimal(rate))
    accounts = _accounts(users, max(TOTAL // 10, 100))
    stages = {p.pk: list(p.stages.all()) for p in pipelines}
    now = timezone.now()
    with connection.cursor() as cursor, cursor.copy(
            f"COPY sales_opportunity ({COLUMNS}) FROM STDIN") as copy:
        for i in range(TOTAL):
            if i < OPEN:
                pipeline, is_open = pipelines[0], True
            else:  # closed ones of the board's pipeline, and the other pipelines' deals
                pipeline = pipelines[i % 3]
                is_open = pipeline is not pipelines[0] and rng.random() < 0.3
            copy.write_row(_row(rng, i, pipeline, stages[pipeline.pk], is_open, users,
                                accounts, now))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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


def raw(sql: str, params: list) -> callable:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return run


def page(client: Client, url: str) -> callable:
    def run():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return run


AGGREGATE = ("SELECT stage_id, currency, count(*), sum(amount) FROM sales_opportunity "
             "WHERE deleted IS NULL AND pipeline_id = %s AND status = 'open' {scope}"
             "GROUP BY stage_id, currency")
CARDS = ("SELECT o.*, a.name, u.username FROM sales_opportunity o "
         "LEFT JOIN customers_account a ON a.id = o.account_id "
         "JOIN org_user u ON u.id = o.owner_id WHERE o.deleted IS NULL AND o.pipeline_id = %s "
         "AND o.status = 'open' AND o.stage_id = %s {scope}"
         "ORDER BY o.updated_at DESC, o.id DESC LIMIT " + str(CARDS_SHOWN + 1))


def _raw_board(pipeline: Pipeline, scope: str, params: list) -> callable:
    """The same queries the board runs, in raw SQL: the aggregate and each column's cards."""
    stages = list(pipeline.stages.filter(outcome="open").values_list("pk", flat=True))
    aggregate = raw(AGGREGATE.format(scope=scope), [pipeline.pk, *params])
    cards = [raw(CARDS.format(scope=scope.replace("owner_id", "o.owner_id")
                              .replace("team_id", "o.team_id")), [pipeline.pk, s, *params])
             for s in stages]

    def run():
        aggregate()
        for column in cards:
            column()
    return run


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    assert CARD_ORDER == ("-updated_at", "-id")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load()
    pipeline = Pipeline.objects.get(is_default=True)
    print(f"data ready in {time.perf_counter() - started:.0f} s: "
          f"{Opportunity.objects.count():,} opportunities, "
          f"{Opportunity.objects.filter(pipeline=pipeline, status='open').count():,} open on "
          f"the board of {pipeline.name}")
    rep, manager = User.objects.get(username="rep3"), User.objects.get(username="manager")
    from amity.core.access import team_ids

    url = f"/pipelines/{pipeline.pk}/board/"
    print(f"\n{'case':<44} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'SQL p95':>8} {'ratio':>6}")
    for who, user, scope, params in (
        ("manager (all)", manager, "", []),
        ("rep (team)", rep, "AND (owner_id = %s OR team_id = ANY(%s)) ", [rep.pk,
                                                                         team_ids(rep)]),
    ):
        client = Client()
        client.force_login(user)
        p50, p95 = timed(page(client, url))
        sql50, sql95 = timed(_raw_board(pipeline, scope, params))
        print(f"{'board, ' + who:<44} {p50:8.1f} {p95:8.1f} {sql50:8.2f} {sql95:8.2f} "
              f"{p50 / sql50:6.1f}")
    # The same machine's cost of an ordinary 50-row list page, for scale.
    client = Client()
    client.force_login(manager)
    p50, p95 = timed(page(client, "/accounts/"))
    print(f"{'(for scale) accounts list, manager':<44} {p50:8.1f} {p95:8.1f}")
    print(f"\n{RUNS} runs each after a warm-up; goal: p95 under 300 ms. Repeat: DATABASE_URL=… "
          ".venv/bin/python bench/board_speed.py")


if __name__ == "__main__":
    main()

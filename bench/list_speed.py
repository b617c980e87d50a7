"""List, filter and search speed at a million contacts, server-side, against raw SQL.

Loads bench/data/*.csv (make them with bench/generate.py; each contact gets one of the
eight lifecycle stages) into the PostgreSQL database
named by DATABASE_URL with COPY, then times each page through Django's full request
path (middleware, access gate, view, template) and the same query in raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench .venv/bin/python bench/list_speed.py
"""

import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
DATA = Path(__file__).resolve().parent / "data"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from amity.customers.models import Account, Contact  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402

TYPES = ["prospect", "customer", "partner", "competitor"]
# Text columns (NOT NULL, no database default) the generated data leaves empty.
ACCOUNT_BLANKS = ("legal_name", "lifecycle_stage", "revenue_currency", "tier", "language")
STAGES = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist", "former"]
CONTACT_BLANKS = ("city", "country", "gender", "language", "phone_e164",
                  "salutation", "source", "time_zone", "external_id", "income_band")


def _define_custom_fields() -> None:
    from amity.core.custom_fields import CustomField

    for key, type, choices in (("nickname", "text", []), ("shoe_size", "number", []),
                               ("level", "choice", [{"value": v, "label": v}
                                                    for v in ("gold", "ทอง", "金")])):
        CustomField.objects.get_or_create(record_kind="customers.contact", key=key, defaults={
            "label": key, "type": type, "choices": choices})


def load() -> None:
    """Users and teams through the ORM, then accounts and contacts by COPY."""
    if Contact.objects.exists():
        return
    sales = Team.objects.create(name="Sales")
    teams = [Team.objects.create(name=f"Sales {i}", parent=sales) for i in range(5)]
    rep = Role.objects.get(key="sales_rep")
    users = [User.objects.create(username=f"rep{i}", email=f"rep{i}@bench.example",
                                 role=rep, team=teams[i % 5]) for i in range(20)]
    User.objects.create(username="manager", email="manager@bench.example", team=sales,
                        role=Role.objects.get(key="sales_manager"))
    now = timezone.now().isoformat()
    account_ids = {}
    with connection.cursor() as cursor, cursor.copy(
        "COPY customers_account (name, type, industry, website, phone, city, country, "
        "description, owner_id, team_id, created_at, updated_at, version, "
        f"deleted_by_cascade, {', '.join(ACCOUNT_BLANKS)}, custom) FROM STDIN"
    ) as copy, open(DATA / "accounts.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            owner = users[i % len(users)]
            copy.write_row((row["name"], TYPES[i % 4], "", "", "", row["city"], row["country"],
                            "", owner.pk, owner.team_id, now, now, 1, False,
                            *[""] * len(ACCOUNT_BLANKS), "{}"))
            account_ids[row["external_id"]] = i
    first = Account.objects.order_by("id").values_list("id", flat=True).first()
    with connection.cursor() as cursor, cursor.copy(
        "COPY customers_contact (given_name, family_name, email, phone, job_title, account_id, "
        "owner_id, team_id, created_at, updated_at, version, deleted_by_cascade, "
        f"lifecycle_stage, {', '.join(CONTACT_BLANKS)}, custom) FROM STDIN"
    ) as copy, open(DATA / "contacts.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            owner = users[i % len(users)]
            copy.write_row((row["given_name"], row["family_name"], row["email"], row["phone"],
                            "", first + account_ids[row["account"]], owner.pk, owner.team_id,
                            now, now, 1, False, STAGES[i * 7 // 3 % len(STAGES)],
                            *[""] * len(CONTACT_BLANKS), _custom(i)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _custom(i: int) -> str:
    """Custom values of one contact in four: a nickname and a choice (searchable text)."""
    if i % 4:
        return "{}"
    return json.dumps({"nickname": f"Nick{i:07}", "level": ("gold", "ทอง", "金")[i % 3],
                       "shoe_size": str(36 + i % 10)}, ensure_ascii=False)


def timed(fn) -> tuple[float, float]:
    """p50 and p95 in milliseconds over RUNS calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def raw(sql: str, params: list) -> callable:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return run


def page(client: Client, url: str, params: dict | None = None) -> callable:
    def run():
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code
    return run


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    _define_custom_fields()
    started = time.perf_counter()
    load()
    print(f"data ready in {time.perf_counter() - started:.0f} s: "
          f"{Contact.objects.count():,} contacts, {Account.objects.count():,} accounts")
    rep, manager = User.objects.get(username="rep3"), User.objects.get(username="manager")
    middle = Contact.objects.count() // 2
    deep = Contact.objects.order_by("family_name", "id")[middle]
    from amity.core.pagination import _encode

    fields = [Contact._meta.get_field("family_name"), Contact._meta.get_field("id")]
    cursor = _encode(deep, fields)
    cases = []
    for who, user in (("manager (all)", manager), ("rep (team)", rep)):
        client = Client()
        client.force_login(user)
        cases += [
            (f"contacts list, first page, {who}", page(client, "/contacts/"),
             raw("SELECT * FROM customers_contact WHERE deleted IS NULL "
                 "ORDER BY family_name, id LIMIT 51", [])),
            (f"contacts list, page after row {middle:,}, {who}",
             page(client, "/contacts/", {"after": cursor}),
             raw("SELECT * FROM customers_contact WHERE deleted IS NULL AND (family_name, id) > "
                 "(%s, %s) ORDER BY family_name, id LIMIT 51", [deep.family_name, deep.id])),
            (f"accounts filtered by owner and type, {who}",
             page(client, "/accounts/", {"owner": rep.pk, "type": "customer"}),
             raw("SELECT * FROM customers_account WHERE deleted IS NULL AND owner_id = %s "
                 "AND type = 'customer' ORDER BY name, id LIMIT 51", [rep.pk])),
            (f"contacts filtered by owner and lifecycle stage, {who}",
             page(client, "/contacts/", {"owner": rep.pk, "lifecycle_stage": "customer"}),
             raw("SELECT * FROM customers_contact WHERE deleted IS NULL AND owner_id = %s "
                 "AND lifecycle_stage = 'customer' ORDER BY family_name, id LIMIT 51",
                 [rep.pk])),
            (f"home page, {who}", page(client, "/"),
             raw("SELECT count(*) FROM (SELECT id FROM customers_contact WHERE deleted IS NULL "
                 "LIMIT 1001) c", [])),
            (f"global search 'Northwind', {who}", page(client, "/search/", {"q": "Northwind"}),
             raw("SELECT id FROM customers_account WHERE name ILIKE %s LIMIT 8",
                 ["%Northwind%"])),
            (f"global search a custom value 'Nick0004', {who}",
             page(client, "/search/", {"q": "Nick0004"}),
             raw("SELECT id FROM customers_contact WHERE custom->>'nickname' ILIKE %s LIMIT 8",
                 ["%Nick0004%"])),
            (f"contacts filtered by a custom choice, {who}",
             page(client, "/contacts/", {"custom.level": "ทอง"}),
             raw("SELECT * FROM customers_contact WHERE deleted IS NULL AND "
                 "custom->'level' = '\"ทอง\"' ORDER BY family_name, id LIMIT 51", [])),
        ]
    print(f"\n{'case':<52} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'ratio':>6}")
    for name, request, limit in cases:
        p50, p95 = timed(request)
        sql50, _ = timed(limit)
        print(f"{name:<52} {p50:8.1f} {p95:8.1f} {sql50:8.2f} {p50 / sql50:6.1f}")
    print(f"\n{RUNS} runs each after a warm-up; repeat: DATABASE_URL=… "
          ".venv/bin/python bench/list_speed.py")


if __name__ == "__main__":
    main()

"""Tag and income band filters on the contact list at a million contacts (PostgreSQL).

Loads synthetic rows with SQL into the database named by DATABASE_URL (once): 100,000
accounts, 1,000,000 contacts spread over 5 teams, tags "common" (every 3rd contact),
"VIP" (every 50th, none in rep0's team: the planner's worst case) and "rare" (100), and
200,000 memberships. Then prints, per user and filter, the median time to read the first
page (51 rows) through ContactFilter and the plan's scans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_details_bench \\
        .venv/bin/python bench/details_filters.py
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from amity.customers.filters import ContactFilter  # noqa: E402
from amity.customers.models import Account, Contact  # noqa: E402
from amity.customers.selectors import account_contacts  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402

FILTERS = [{"tag": "rare"}, {"tag": "VIP"}, {"tag": "common"}, {"income_band": "high"},
           {"tag": "vip", "income_band": "high"}, {"tag": "nosuchtag"}]

LOAD_SQL = [
    """INSERT INTO customers_account (name, legal_name, type, lifecycle_stage, tier, industry,
       revenue_currency, website, phone, city, country, language, description, custom,
       owner_id, team_id, created_at, updated_at, version, deleted_by_cascade)
       SELECT 'Account ' || g, '', 'prospect', '', '', '', '', '', '', '', 'TH', '', '', '{}',
       %(u0)s + (g %% 20), %(t0)s + (g %% 5), now(), now(), 1, false
       FROM generate_series(1, 100000) g""",
    """INSERT INTO customers_contact (salutation, given_name, family_name, email, phone,
       phone_e164, job_title, lifecycle_stage, gender, language, time_zone, city, country,
       source, income_band, external_id, custom, owner_id, team_id, created_at, updated_at,
       version, deleted_by_cascade, account_id)
       SELECT '', 'Given', 'Family ' || lpad((g::bigint * 7919 %% 1000000)::text, 7, '0'),
       '', '', '', '', '', '', '', '', '', 'TH', '',
       (ARRAY['', 'low', 'lower_middle', 'middle', 'upper_middle', 'high'])[1 + g %% 6], '',
       '{}', %(u0)s + (g %% 20), %(t0)s + (g %% 5), now(), now(), 1, false,
       (SELECT min(id) FROM customers_account) + (g %% 100000)
       FROM generate_series(1, 1000000) g""",
    "INSERT INTO taggit_tag (name, slug) VALUES ('VIP', 'vip'), ('common', 'common'), "
    "('rare', 'rare')",
    """INSERT INTO customers_taggedcontact (tag_id, content_object_id)
       SELECT (SELECT id FROM taggit_tag WHERE name = 'common'), c.id + g
       FROM generate_series(0, 999999, 3) g, (SELECT min(id) AS id FROM customers_contact) c""",
    """INSERT INTO customers_taggedcontact (tag_id, content_object_id)
       SELECT (SELECT id FROM taggit_tag WHERE name = 'VIP'), c.id + g
       FROM generate_series(0, 999999, 50) g, (SELECT min(id) AS id FROM customers_contact) c""",
    """INSERT INTO customers_taggedcontact (tag_id, content_object_id)
       SELECT (SELECT id FROM taggit_tag WHERE name = 'rare'), c.id + g
       FROM generate_series(0, 999999, 10000) g,
            (SELECT min(id) AS id FROM customers_contact) c""",
    """INSERT INTO customers_membership (account_id, contact_id, role, title, created_at)
       SELECT a.id + (g %% 100000), c.id + ((g * 37) %% 1000000), 'r', 't', now()
       FROM generate_series(1, 200000) g, (SELECT min(id) AS id FROM customers_account) a,
            (SELECT min(id) AS id FROM customers_contact) c ON CONFLICT DO NOTHING""",
    "ANALYZE",
]


def load() -> None:
    if Contact.objects.exists():
        return
    sales = Team.objects.create(name="Sales")
    teams = [Team.objects.create(name=f"Sales {i}", parent=sales) for i in range(5)]
    rep = Role.objects.get(key="sales_rep")
    users = [User.objects.create(username=f"rep{i}", email=f"rep{i}@bench.example", role=rep,
                                 team=teams[i % 5]) for i in range(20)]
    User.objects.create(username="manager", email="manager@bench.example", team=sales,
                        role=Role.objects.get(key="sales_manager"))
    with connection.cursor() as cursor:
        for sql in LOAD_SQL:
            cursor.execute(sql, {"u0": users[0].pk, "t0": teams[0].pk})


def timed(queryset, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        list(queryset.all())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    load()
    for username in ("rep0", "manager"):
        user = User.objects.get(username=username)
        for params in FILTERS:
            rows = ContactFilter(params, queryset=Contact.objects.visible_to(user)).qs
            page = rows.order_by("family_name", "id")[:51]
            scans = [line.strip() for line in page.explain().splitlines() if "Scan" in line]
            plan = scans[0][:70] if scans else "(no query: no such tag)"
            print(f"{username:8} {params!s:42} {timed(page):8.1f} ms  {plan}")
    account = Account.objects.order_by("id").first()
    user = User.objects.get(username="manager")
    page = account_contacts(account=account, user=user).order_by("family_name", "id")[:21]
    print(f"account contacts page (own + members)              {timed(page):8.1f} ms")


if __name__ == "__main__":
    main()

"""A small demo organisation: users in every built-in role, teams, and accounts and
contacts in English, Thai, Persian and Chinese with some history. Made through the
same services the UI uses, so the demo has events and field history like real data."""

from django.db import transaction

from amity.core.services import record_assign, record_create, record_update
from amity.customers.models import Account, Contact
from amity.org.models import Role, Team, User

DEMO_PASSWORD = "amity-demo"  # noqa: S105 - published demo credential, demo data only

# username, full name, role key, team
DEMO_USERS = [
    ("admin", "Ada Admin", "administrator", None),
    ("maria", "Maria Manager", "sales_manager", "Sales"),
    ("somchai", "สมชาย ใจดี", "sales_rep", "Sales Asia"),
    ("darius", "داریوش رضایی", "sales_rep", "Sales Middle East"),
    ("li", "李娜", "marketer", "Marketing"),
    ("sara", "Sara Service", "service_agent", "Service"),
    ("paul", "Paul Partner", "partner_user", None),
    ("viewer", "Vera Viewer", "read_only", None),
]

TEAMS = [("Sales", None), ("Sales Asia", "Sales"), ("Sales Middle East", "Sales"),
         ("Marketing", None), ("Service", None)]

ACCOUNTS = [
    # name, type, industry, city, country, owner
    ("Siam Fresh Foods", "customer", "Food", "Bangkok", "TH", "somchai"),
    ("บริษัท ข้าวหอม จำกัด", "prospect", "Agriculture", "เชียงใหม่", "TH", "somchai"),
    ("پارس تجارت", "customer", "Retail", "تهران", "IR", "darius"),
    ("Caspian Logistics", "prospect", "Logistics", "Tabriz", "IR", "darius"),
    ("上海明华科技有限公司", "customer", "Software", "上海", "CN", "maria"),
    ("Northwind Traders", "partner", "Wholesale", "London", "GB", "maria"),
]

CONTACTS = [
    # given, family, email, phone as written, account index, owner
    ("Niran", "Boonmee", "niran@siamfresh.example", "081 234 5678", 0, "somchai"),
    ("สุดา", "แก้วมณี", "suda@khaohom.example", "053 123 456", 1, "somchai"),
    ("مریم", "احمدی", "maryam@parstejarat.example", "0912 130 0303", 2, "darius"),
    ("Reza", "Karimi", "reza@caspian.example", "+98 41 3333 4444", 3, "darius"),
    ("明", "王", "wang.ming@minghua.example", "138 6125 5925", 4, "maria"),
    ("Anne", "Dodsworth", "anne@northwind.example", "020 7946 0018", 5, "maria"),
    ("Jamie", "Consumer", "jamie@mail.example", "+1 212 555 0123", None, "sara"),
]


def demo_loaded() -> bool:
    return User.objects.filter(username__in=[u for u, *_ in DEMO_USERS]).count() == len(DEMO_USERS)


@transaction.atomic
def load_demo() -> bool:
    """Load the demo into an empty database; return False if there are users already."""
    if User.objects.exists():
        return False
    teams: dict[str, Team] = {}
    for name, parent in TEAMS:
        teams[name] = Team.objects.create(name=name, parent=teams.get(parent))
    users = {}
    for username, full_name, role_key, team in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user = User(username=username, first_name=first, last_name=last,
                    email=f"{username}@amity.example", role=Role.objects.get(key=role_key),
                    team=teams.get(team), is_superuser=role_key == "administrator")
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    accounts = []
    for name, kind, industry, city, country, owner in ACCOUNTS:
        accounts.append(record_create(model=Account, user=users[owner], data={
            "name": name, "type": kind, "industry": industry, "city": city, "country": country,
        }))
    for given, family, email, phone, account, owner in CONTACTS:
        record_create(model=Contact, user=users[owner], data={
            "given_name": given, "family_name": family, "email": email, "phone": phone,
            "account": accounts[account] if account is not None else None,
        })
    # A little history, so timelines and field history have something to show.
    record_update(record=accounts[1], user=users["maria"], data={"type": "customer"})
    record_update(record=accounts[0], user=users["somchai"],
                  data={"website": "https://siamfresh.example"})
    record_assign(record=accounts[3], user=users["maria"], owner=users["somchai"],
                  team=teams["Sales Asia"])
    return True

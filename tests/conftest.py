"""Named personas, set up through the same models and services the product uses.

East and West are sibling teams under Sales. The owner and teammate sell in East;
the outsider sells in West; the manager manages Sales (sees all); the partner sees
only their own records; the viewer may look at everything and change nothing."""

import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amity.core.custom_fields import CustomField, custom_field_save
from amity.core.services import record_create
from amity.customers.models import Account, Contact
from amity.integrations.services import token_create
from amity.org.models import Role, Team, User


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is the product's hasher (tested in web/test_auth.py); tests that only need
    # a signed-in user use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    # A request as a Persian user leaves Persian active in the thread (each real request
    # activates its own language); the next test on the same worker must start in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def forget_automation_triggers():
    # Which events rules watch is cached across requests; a test's rolled-back rules must
    # not leave their triggers cached for the next test.
    from amity.automation.subscriptions import CACHE_KEY

    cache.delete(CACHE_KEY)


@dataclass
class Org:
    owner: User
    teammate: User
    outsider: User
    manager: User
    admin: User
    partner: User
    viewer: User
    east: Team
    west: Team


def make_user(username: str, role: str, team: Team | None = None, **extra) -> User:
    user = User(username=username, email=f"{username}@example.com", team=team,
                role=Role.objects.get(key=role), **extra)
    user.set_password("pw-" + username)
    user.save()
    return user


@pytest.fixture
def org(db) -> Org:
    sales = Team.objects.create(name="Sales")
    east = Team.objects.create(name="East", parent=sales)
    west = Team.objects.create(name="West", parent=sales)
    return Org(
        owner=make_user("owner", "sales_rep", east),
        teammate=make_user("teammate", "sales_rep", east),
        outsider=make_user("outsider", "sales_rep", west),
        manager=make_user("manager", "sales_manager", sales),
        admin=make_user("admin", "administrator"),
        partner=make_user("partner", "partner_user"),
        viewer=make_user("viewer", "read_only"),
        east=east, west=west,
    )


def make_account(user: User, name: str = "Siam Fresh Foods", **data) -> Account:
    return record_create(model=Account, user=user, data={"name": name, **data})


def make_contact(user: User, family_name: str = "Boonmee", **data) -> Contact:
    return record_create(model=Contact, user=user, data={"family_name": family_name, **data})


def signed_in(user: User, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def can_sign_in(username: str, password: str, **client_kwargs) -> bool:
    """Whether the sign-in form accepts these credentials (it redirects on success)."""
    response = Client(**client_kwargs).post(reverse("login"),
                                            {"username": username, "password": password})
    return response.status_code == 302


def api_client(user: User) -> Client:
    _token, raw = token_create(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def define_custom_field(admin: User, key: str, type: str, kind: str = "customers.contact",
                        **extra) -> CustomField:
    return custom_field_save(actor=admin, field=CustomField(), data={
        "record_kind": kind, "key": key, "label": extra.pop("label", key.replace("_", " ")),
        "type": type, **extra})


@pytest.fixture
def custom_fields(org) -> dict[str, CustomField]:
    """One contact custom field of each type, labelled in several scripts."""
    define = partial(define_custom_field, org.admin)
    return {
        "nickname": define("nickname", "text", label="ชื่อเล่น"),
        "shoe_size": define("shoe_size", "number", label="Shoe size"),
        "budget": define("budget", "money", label="بودجه"),
        "first_visit": define("first_visit", "date", label="First visit"),
        "level": define("level", "choice", label="Level", choices=[
            {"value": "gold", "label": "ทอง"}, {"value": "silver", "label": "เงิน"},
            {"value": "玉", "label": "翡翠"}]),
        "hobbies": define("hobbies", "multi_choice", label="Hobbies", choices=[
            {"value": "golf", "label": "Golf"}, {"value": "tea", "label": "茶"},
            {"value": "chess", "label": "شطرنج"}]),
        "vip": define("vip", "boolean", label="VIP"),
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django's SMTP backend is pointed at it for the test."""
    from tests.mail_server import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "amity.integrations.smtp_backend.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def imap_server():
    """A private Dovecot IMAP server (tests/imap_server.py); skips without Dovecot unless
    AMITY_REQUIRE_IMAP is set."""
    from tests.imap_server import ImapServer, require_dovecot

    server = ImapServer(require_dovecot())
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def imap_tls_server(settings):
    """A private Dovecot with STARTTLS and implicit TLS, its self-signed CA trusted."""
    from tests.imap_server import ImapServer, require_dovecot

    server = ImapServer(require_dovecot(), tls=True)
    server.start()
    settings.MAIL_IN_CA_FILE = str(server.ca_file)
    yield server
    server.cleanup()


# Product processes (workers) over the test's data: on PostgreSQL the test database itself
# (committed data: transactional_db); on SQLite a fresh data directory, migrated once.
@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once and copied for each test."""
    data = tmp_path_factory.mktemp("migrated")
    from tests.processes import amity, amity_env

    migrated = amity(amity_env(data), "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stdout
    return data / "amity.sqlite3"


@pytest.fixture
def process_env(request, tmp_path: Path, transactional_db) -> dict[str, str]:
    from django.db import connection

    from tests.processes import ROOT, amity_env

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        return amity_env(tmp_path / "data", DATABASE_URL=url, PYTHONPATH=str(ROOT))
    (tmp_path / "data").mkdir()
    shutil.copy(request.getfixturevalue("migrated_sqlite"), tmp_path / "data" / "amity.sqlite3")
    return amity_env(tmp_path / "data", PYTHONPATH=str(ROOT))

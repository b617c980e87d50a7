"""Global search over accounts and contacts: partial and misspelt words, every script,
only what the user may see, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm) alike."""

import pytest
from django.db import connection

from amity.core.services import record_delete, record_restore, record_update
from amity.customers.models import Account, Contact
from amity.web.search import global_search
from tests.conftest import make_account, make_contact

PAYLOADS = ['"', '""', "*", "a*", "NEAR(a b)", "NEAR(", "' OR 1=1 --", "OR", "x AND NOT y",
            "%", "_", "\\", "a\x00b", "^abc", "{kind}: x", "col:abc", ")(", "'; DROP TABLE x; --"]


def found(user, query: str) -> dict[str, list[str]]:
    """What the user sees: record names by kind, in result order."""
    return {str(group["label"]): [str(r) for r in group["records"]]
            for group in global_search(user=user, query=query)}


def accounts(user, query: str) -> list[str]:
    return found(user, query).get("accounts", [])


def contacts(user, query: str) -> list[str]:
    return found(user, query).get("contacts", [])


def test_partial_words_in_latin_script(org):
    make_account(org.owner, "Siam Fresh Foods")
    make_contact(org.owner, "Boonmee", given_name="Somchai")
    assert accounts(org.owner, "fres") == ["Siam Fresh Foods"]
    assert accounts(org.owner, "FOODS") == ["Siam Fresh Foods"]
    assert contacts(org.owner, "omcha") == ["Somchai Boonmee"]
    # Words in any order, across fields.
    assert contacts(org.owner, "boonmee somchai") == ["Somchai Boonmee"]


@pytest.mark.parametrize(("name", "query"), [
    ("บริษัท ข้าวหอม จำกัด", "ข้าวหอม"),  # Thai: no spaces between words
    ("上海明华科技有限公司", "明华"),  # Chinese, two characters: below trigram length
    ("上海明华科技有限公司", "明华科技"),
    ("پارس تجارت", "تجارت"),  # Persian
])
def test_partial_words_in_every_script(org, name, query):
    make_account(org.owner, name)
    make_account(org.owner, "Northwind Traders")
    assert accounts(org.owner, query) == [name]


def test_chinese_contact_found_by_full_name(org):
    make_contact(org.owner, "王", given_name="明")
    assert contacts(org.owner, "王明") == ["王明"]


def test_misspelt_words_are_found(org):
    make_account(org.owner, "Northwind Traders")
    make_account(org.owner, "Siam Fresh Foods")
    make_contact(org.owner, "Boonmee", given_name="Somchai")
    assert accounts(org.owner, "Nortwind") == ["Northwind Traders"]
    assert accounts(org.owner, "northwnd tradrs") == ["Northwind Traders"]
    assert contacts(org.owner, "Boonme") == ["Somchai Boonmee"]
    assert contacts(org.owner, "Bonmee") == ["Somchai Boonmee"]
    assert found(org.owner, "Xylophqz") == {}


def test_email_and_phone(org):
    make_contact(org.owner, "احمدی", given_name="مریم", email="maryam@pars.example",
                 phone="+66 81 234 5678")
    make_account(org.owner, "Siam Fresh Foods", phone="+66 2 555 0101")
    assert contacts(org.owner, "maryam@pars") == ["مریم احمدی"]
    assert contacts(org.owner, "PARS.EXAMPLE") == ["مریم احمدی"]
    assert contacts(org.owner, "+66 81 234 5678") == ["مریم احمدی"]
    # However the number is written, its digits find it.
    assert contacts(org.owner, "66812345678") == ["مریم احمدی"]
    assert contacts(org.owner, "(81) 234-56") == ["مریم احمدی"]
    assert accounts(org.owner, "6625550101") == ["Siam Fresh Foods"]
    assert accounts(org.owner, "555-0101") == ["Siam Fresh Foods"]


@pytest.mark.parametrize(("stored", "typed"), [
    ("علي رضايي", "علی رضایی"),  # written with Arabic yeh, typed with the Persian one
    ("علی رضایی", "علي رضايي"),
    ("كريمي", "کریمی"),  # Arabic kaf and yeh against Persian ones
    ("مصطفى", "مصطفی"),  # alef maksura
])
def test_arabic_and_persian_letter_forms_find_each_other(org, stored, typed):
    make_contact(org.owner, stored)
    make_contact(org.owner, "رضوی")
    make_account(org.owner, stored + " تجارت")
    assert contacts(org.owner, typed) == [stored]
    assert accounts(org.owner, typed) == [stored + " تجارت"]


def test_a_phone_typed_in_persian_thai_or_full_width_digits(org):
    make_contact(org.owner, "احمدی", given_name="مریم", phone="+98 912 345 6789")
    make_contact(org.owner, "ใจดี", given_name="สมชาย", phone="+66 81 234 5678")
    assert contacts(org.owner, "۹۱۲ ۳۴۵ ۶۷۸۹") == ["مریم احمدی"]  # Persian
    assert contacts(org.owner, "٩١٢٣٤٥") == ["مریم احمدی"]  # Arabic-Indic
    assert contacts(org.owner, "๘๑ ๒๓๔ ๕๖๗๘") == ["สมชาย ใจดี"]  # Thai
    assert contacts(org.owner, "８１２３４５") == ["สมชาย ใจดี"]  # full width (Chinese IMEs)


def test_contact_found_by_its_account_name(org):
    northwind = make_account(org.owner, "Northwind Traders")
    make_contact(org.owner, "Davolio", given_name="Nancy", account=northwind)
    make_contact(org.owner, "Fuller", given_name="Andrew")
    assert found(org.owner, "northwind") == {"accounts": ["Northwind Traders"],
                                             "contacts": ["Nancy Davolio"]}
    assert contacts(org.owner, "Nortwind") == ["Nancy Davolio"]


def test_exact_and_prefix_matches_come_first(org):
    for name in ["The Northwind Company", "Northwind Traders", "Ironorthwind", "Northwind",
                 "Nortwind Supplies"]:
        make_account(org.owner, name)
    assert accounts(org.owner, "northwind") == [
        "Northwind",  # exact
        "Northwind Traders",  # prefix
        "The Northwind Company",  # a word starts with it
        "Ironorthwind",  # inside a word
        "Nortwind Supplies",  # misspelt: only fills the places left
    ]
    misspelt = accounts(org.owner, "nortwind")
    assert misspelt[0] == "Nortwind Supplies"
    assert {"Northwind", "Northwind Traders", "The Northwind Company"} <= set(misspelt[1:])


def test_results_per_kind_are_bounded(org):
    for i in range(12):
        make_account(org.owner, f"Acme {i}")
    assert len(accounts(org.owner, "acme")) == 8


def test_records_of_another_team_never_appear(org):
    east = make_account(org.owner, "Northwind East")
    make_account(org.outsider, "Northwind West")
    make_contact(org.outsider, "Northwind", given_name="Secret")
    make_account(org.outsider, "明华西")
    # At an account the owner sees, but in a team the owner does not.
    make_contact(org.manager, "Hidden", given_name="Manager", account=east)
    for query in ["northwind", "Nortwind", "west", "No", "明华", "hidden"]:
        names = [n for kind in found(org.owner, query).values() for n in kind]
        assert "Northwind West" not in names
        assert "Secret Northwind" not in names
        assert "明华西" not in names
        assert "Manager Hidden" not in names
    assert contacts(org.manager, "northwind east") == ["Manager Hidden"]
    assert accounts(org.owner, "northwind") == ["Northwind East"]
    assert sorted(accounts(org.manager, "northwind")) == ["Northwind East", "Northwind West"]
    assert "Northwind East" not in accounts(org.outsider, "northwind east")


def test_soft_deleted_records_never_appear(org):
    account = make_account(org.owner, "Northwind Traders")
    contact = make_contact(org.owner, "Boonmee", given_name="Somchai", account=account)
    record_delete(record=contact, user=org.manager)
    record_delete(record=account, user=org.manager)
    for query in ["northwind", "Nortwind", "Boonmee", "Bonmee", "No", "Bo"]:
        assert found(org.owner, query) == {}
        assert found(org.admin, query) == {}
    record_restore(record=Account.deleted_objects.get(pk=account.pk), user=org.admin)
    assert found(org.owner, "Nortwind") == {"accounts": ["Northwind Traders"]}


def test_changed_records_are_found_by_their_new_text(org):
    account = make_account(org.owner, "Northwind Traders")
    record_update(record=account, user=org.owner, data={"name": "Lotus Kitchen"})
    assert found(org.owner, "northwind") == {}
    assert accounts(org.owner, "lotus") == ["Lotus Kitchen"]
    Account.objects.filter(pk=account.pk).update(name="Siam Fresh Foods")  # bulk paths too
    assert found(org.owner, "lotus") == {}
    assert accounts(org.owner, "fresh") == ["Siam Fresh Foods"]
    Contact.objects.bulk_create([Contact(family_name="Leverling", owner=org.owner,
                                         team=org.east)])
    assert contacts(org.owner, "leverl") == ["Leverling"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_query_syntax_is_plain_text(org, payload):
    make_account(org.owner, "Northwind Traders")
    stored = payload.replace("\x00", "")  # the form refuses NUL; the search drops it
    make_account(org.owner, f"Odd {stored} Name")
    assert f"Odd {stored} Name" in accounts(org.owner, payload)


def test_like_wildcards_are_literal(org):
    make_account(org.owner, "100% Natural")
    make_account(org.owner, "Islands 1000")
    make_account(org.owner, "snake_case Ltd")
    make_account(org.owner, "snakeXcase Ltd")
    assert accounts(org.owner, "100%") == ["100% Natural"]
    assert accounts(org.owner, "e_c") == ["snake_case Ltd"]


def test_long_and_empty_queries(org):
    make_account(org.owner, "Northwind Traders")
    assert found(org.owner, "") == {}
    assert found(org.owner, "   ") == {}
    assert found(org.owner, "northwind " * 500) == {"accounts": ["Northwind Traders"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
def test_postgresql_uses_the_trigram_indexes(org):
    from amity.customers.search import postgres
    from amity.customers.search.query import parse_query

    Account.objects.bulk_create(Account(name=f"Account {i:05}", owner=org.owner, team=org.east)
                                for i in range(3000))
    Contact.objects.bulk_create(Contact(family_name=f"Contact {i:05}", owner=org.owner,
                                        team=org.east) for i in range(3000))
    with connection.cursor() as cursor:
        # New rows wait in GIN's pending list, which makes the index look dear; and with
        # so few rows a scan is cheaper anyway. What matters is that the index is usable.
        cursor.execute("SELECT gin_clean_pending_list('customers_account_search'), "
                       "gin_clean_pending_list('customers_contact_search')")
        cursor.execute("ANALYZE customers_account, customers_contact")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for model in (Account, Contact):
        visible = model.objects.visible_to(org.owner)
        for text in ("Northwind", "No"):  # substring and similar words; word prefix
            for step in postgres.steps(model, parse_query(text)):
                plan = visible.filter(step.condition).explain()
                assert f"{model._meta.db_table}_search" in plan or (
                    text == "No" and step.exact), plan  # short: a scan, stopped by LIMIT


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_sqlite_search_table_follows_the_records(org):
    # Django remakes a SQLite table (dropping its triggers) on many schema changes;
    # sqlite_index.repair puts them back after every migrate.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND name LIKE 'customers_%_search_%'")
        assert len(cursor.fetchall()) == 6
    account = make_account(org.owner, "Northwind Traders", phone="+66 2 555 0101")
    contact = make_contact(org.owner, "Boonmee", account=account)
    # The strings among the custom values follow (text and choices; not numbers, money).
    Contact.objects.filter(pk=contact.pk).update(
        custom={"nickname": "แมว", "hobbies": ["golf", "茶"], "vip": True,
                "budget": {"amount": "5", "currency": "THB"}})
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, record_id, text FROM customers_search ORDER BY rowid")
        assert cursor.fetchall() == [
            ("account", account.pk, "Northwind Traders  +66 2 555 0101 6625550101 "),
            ("contact", contact.pk, " Boonmee Boonmee    แมว golf 茶"),
        ]
        record_delete(record=account, user=org.manager)
        cursor.execute("SELECT kind FROM customers_search")
        assert cursor.fetchall() == [("contact",)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_sqlite_triggers_are_put_back_after_a_table_is_remade(org):
    from amity.customers.search import sqlite_index

    make_account(org.owner, "Northwind Traders")
    assert sqlite_index.repair(connection) is False
    with connection.cursor() as cursor:  # as a remade table loses them
        cursor.execute("DROP TRIGGER customers_account_search_update")
    Account.objects.update(name="Lotus Kitchen")
    assert found(org.owner, "lotus") == {}
    assert sqlite_index.repair(connection) is True
    assert accounts(org.owner, "lotus") == ["Lotus Kitchen"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_postgresql_settings_do_not_outlive_the_search(org):
    make_account(org.owner, "Northwind Traders")
    assert accounts(org.owner, "Nortwind") == ["Northwind Traders"]  # a %> step ran last
    with connection.cursor() as cursor:  # still inside the test's transaction
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)

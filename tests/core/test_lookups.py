"""`__any`: the same rows as `__in`, whichever the database (one array parameter on
PostgreSQL), for text, numbers and dates, with no value, None, and values in any script."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amity.customers.models import Contact
from tests.conftest import make_contact


@pytest.fixture
def contacts(org) -> list[Contact]:
    return [make_contact(org.owner, "สมชาย", email="somchai@example.com",
                         birth_date=dt.date(1990, 4, 13)),
            make_contact(org.owner, "رضایی", email="reza@example.com"),
            make_contact(org.owner, "王", email="wang@example.com",
                         birth_date=dt.date(1985, 1, 2)),
            make_contact(org.owner, "O'Brien 🍀")]


def _ids(**lookup) -> set[int]:
    return set(Contact.objects.filter(**lookup).values_list("id", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("field, values", [
    ("family_name", ["สมชาย", "王", "O'Brien 🍀", "nobody"]),
    ("email", ["reza@example.com", None, "x' OR '1'='1"]),
    ("birth_date", [dt.date(1985, 1, 2), dt.date(2000, 1, 1)]),
    ("email", []),
    ("email", [None]),
])
def test_any_finds_what_in_finds(contacts, field, values):
    assert _ids(**{f"{field}__any": values}) == _ids(**{f"{field}__in": values})


@pytest.mark.django_db
def test_any_of_ids_and_a_set(contacts):
    wanted = {contacts[0].pk, contacts[3].pk}
    assert _ids(id__any=wanted) == wanted


@pytest.mark.django_db
def test_thousands_of_values_are_one_array_on_postgresql(contacts):
    emails = [f"someone{i}@example.com" for i in range(5000)] + ["wang@example.com"]
    with CaptureQueriesContext(connection) as queries:
        assert _ids(email__any=emails) == {contacts[2].pk}
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]

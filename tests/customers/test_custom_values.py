"""Custom values on accounts and contacts: record forms and pages, list filters (UI and
API), global search, exports and imports."""

import csv
import io
import json

import pytest
from django.db import connection
from django.urls import reverse

from amity.core.custom_fields import CustomField, custom_field_save
from amity.core.services import record_update
from amity.customers.models import Account, Contact
from amity.web.search import global_search
from tests.conftest import (
    api_client,
    define_custom_field,
    make_account,
    make_contact,
    signed_in,
)
from tests.customers.test_import_job import (  # noqa: F401 - media: files in a temporary dir
    csv_bytes,
    errors_of,
    media,
    run,
    upload,
)


def test_contact_form_shows_and_saves_custom_fields(org, custom_fields):
    client = signed_in(org.owner)
    page = client.get(reverse("contact_create")).content.decode()
    for label in ("ชื่อเล่น", "Shoe size", "بودجه", "First visit", "Level", "VIP"):
        assert label in page
    response = client.post(reverse("contact_create"), {
        "family_name": "ใจดี", "custom.nickname": "แมว 🐱", "custom.shoe_size": "42",
        "custom.budget_0": "1500", "custom.budget_1": "THB", "custom.first_visit": "2026-04-13",
        "custom.level": "gold", "custom.hobbies": ["tea", "chess"], "custom.vip": "true",
    }, follow=True)
    assert response.status_code == 200
    contact = Contact.objects.get()
    assert contact.custom == {"nickname": "แมว 🐱", "shoe_size": "42",
                              "budget": {"amount": "1500", "currency": "THB"},
                              "first_visit": "2026-04-13", "level": "gold",
                              "hobbies": ["tea", "chess"], "vip": True}
    html = response.content.decode()
    assert "แมว 🐱" in html and "ทอง" in html and "茶, شطرنج" in html
    assert "1,500 THB" in html and "Apr 13, 2026" in html


def test_record_page_shows_dates_in_the_users_calendar_and_digits(org, custom_fields):
    contact = make_contact(org.owner, "Ahmadi", custom={
        "first_visit": "2026-04-13", "shoe_size": "1234.5"})
    org.owner.language, org.owner.calendar = "fa", "persian"
    org.owner.save()
    html = signed_in(org.owner).get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "۲۴ فروردین ۱۴۰۵" in html  # 13 April 2026 in the Persian calendar
    assert "۱٬۲۳۴٫۵" in html


def test_history_shows_custom_dates_numbers_and_money_in_the_readers_calendar(
        org, custom_fields):
    contact = make_contact(org.owner, "Ahmadi")
    record_update(record=contact, user=org.owner, data={"custom": {
        "first_visit": "2026-04-13", "shoe_size": "1234.5",
        "budget": {"amount": "1500", "currency": "THB"}}})
    org.owner.language, org.owner.calendar = "fa", "persian"
    org.owner.save()
    page = signed_in(org.owner).get(contact.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "۲۴ فروردین ۱۴۰۵" in history and "2026-04-13" not in history
    assert "۱٬۲۳۴٫۵" in history and "۱٬۵۰۰ THB" in history


def test_form_errors_are_named_by_custom_field_and_nothing_is_stored(org, custom_fields):
    custom_field_save(actor=org.admin, field=custom_fields["level"], data={"required": True})
    response = signed_in(org.owner).post(reverse("contact_create"), {
        "family_name": "X", "custom.shoe_size": "'; DROP TABLE x; --",
        "custom.budget_0": "10", "custom.budget_1": "ZZZ", "custom.first_visit": "31/12/2026"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"custom.shoe_size", "custom.budget", "custom.first_visit",
                           "custom.level"}
    assert 'data-field="custom.shoe_size"' in response.content.decode()
    assert not Contact.objects.exists()


def test_inline_edit_changes_custom_values_and_history_shows_labels(org, custom_fields):
    contact = make_contact(org.owner, "Boonmee", custom={"level": "gold", "nickname": "แมว"})
    custom_field_save(actor=org.admin, field=custom_fields["nickname"], data={"archived": True})
    client = signed_in(org.teammate)
    url = reverse("contact_edit", args=[contact.pk])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="custom.level"' in form and 'name="custom.nickname"' not in form
    response = client.post(url, {"family_name": "Boonmee", "custom.level": "silver",
                                 "version": contact.version}, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content
    contact.refresh_from_db()
    # The archived field is hidden, and its value kept.
    assert contact.custom == {"level": "silver", "nickname": "แมว"}
    page = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    history = page[page.index('id="history"'):]
    assert "<td>Level</td><td>ทอง</td><td>เงิน</td>" in history


def test_editing_another_teams_record_is_404_and_changes_nothing(org, custom_fields):
    contact = make_contact(org.outsider, "West", custom={"level": "gold"})
    response = signed_in(org.owner).post(reverse("contact_edit", args=[contact.pk]),
                                         {"family_name": "West", "custom.level": "silver"})
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.custom == {"level": "gold"}


@pytest.fixture
def people(org, custom_fields):
    return {
        "a": make_contact(org.owner, "Alpha", custom={
            "level": "gold", "hobbies": ["tea", "golf"], "vip": True, "shoe_size": "9.5",
            "first_visit": "2026-01-05", "nickname": "แมว"}),
        "b": make_contact(org.owner, "Bravo", custom={
            "level": "玉", "hobbies": ["chess"], "vip": False, "shoe_size": "10",
            "first_visit": "2026-03-01", "nickname": "小王"}),
        "c": make_contact(org.owner, "Charlie"),
        "west": make_contact(org.outsider, "West", custom={"level": "gold", "vip": True}),
    }


def listed(client, **params) -> list[str]:
    response = client.get("/api/v1/contacts/", params)
    assert response.status_code == 200, response.content
    return sorted(r["family_name"] for r in response.json()["results"])


@pytest.mark.parametrize(("params", "expected"), [
    ({"custom.level": "gold"}, ["Alpha"]),
    ({"custom.level": "玉"}, ["Bravo"]),
    ({"custom.vip": "true"}, ["Alpha"]),
    ({"custom.vip": "false"}, ["Bravo"]),
    ({"custom.hobbies": ["golf", "chess"]}, ["Alpha", "Bravo"]),
    ({"custom.hobbies": "chess"}, ["Bravo"]),
    ({"custom.nickname": "小王"}, ["Bravo"]),
    ({"custom.shoe_size.min": "9.6"}, ["Bravo"]),
    ({"custom.shoe_size.max": "9.99"}, ["Alpha"]),
    ({"custom.shoe_size.min": "9", "custom.shoe_size.max": "10"}, ["Alpha", "Bravo"]),
    ({"custom.first_visit": "2026-03-01"}, ["Bravo"]),
    ({"custom.first_visit.min": "2026-02-01"}, ["Bravo"]),
    ({"custom.first_visit.max": "2026-02-01"}, ["Alpha"]),
    ({"custom.nickname": "' OR 1=1 --"}, []),
])
def test_api_list_filters_on_custom_values(org, people, params, expected):
    assert listed(api_client(org.owner), **params) == expected


def test_bad_custom_filters_are_field_errors(org, people):
    client = api_client(org.owner)
    for params in ({"custom.level": "platinum"}, {"custom.shoe_size.min": "lots"},
                   {"custom.first_visit.max": "yesterday"}):
        response = client.get("/api/v1/contacts/", params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == next(iter(params))


def test_list_page_offers_choice_and_yes_no_filters(org, people):
    client = signed_in(org.owner)
    page = client.get(reverse("contact_list")).content.decode()
    assert 'name="custom.level"' in page and 'name="custom.vip"' in page
    assert 'type="hidden" name="custom.shoe_size.min"' in page
    response = client.get(reverse("contact_list"), {"custom.level": "gold"},
                          headers={"HX-Request": "true", "HX-Target": "record-list"})
    html = response.content.decode()
    assert "Alpha" in html and "Bravo" not in html and "West" not in html


def test_search_finds_records_by_custom_text_and_choices(org, people):
    def contacts(query):
        return [str(r) for group in global_search(user=org.owner, query=query)
                for r in group["records"]]

    assert contacts("แมว") == ["Alpha"]
    assert contacts("小王") == ["Bravo"]
    assert contacts("玉") == ["Bravo"]
    make_account(org.owner, "Lotus", custom={})
    account = make_account(org.owner, "Siam")
    define_custom_field(org.admin, "motto", "text", kind="customers.account")
    from amity.core.services import record_update

    record_update(record=account, user=org.owner, data={"custom": {"motto": "ข้าวหอมมะลิ"}})
    assert [str(r) for g in global_search(user=org.owner, query="หอมมะ")
            for r in g["records"]] == ["Siam"]
    # Another team's record with the same value never appears.
    assert "West" not in contacts("gold")


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_exports_have_a_column_per_active_custom_field(org, people):
    custom_field_save(actor=org.admin, field=fields_of("vip"), data={"archived": True})
    make_contact(org.manager, "Formula", custom={"nickname": "=HYPERLINK(\"x\")"})
    table = read_csv(signed_in(org.manager).get(reverse("contact_export", args=["csv"])))
    header = table[0]
    assert header[-6:] == ["ชื่อเล่น", "Shoe size", "بودجه", "First visit", "Level", "Hobbies"]
    rows = {row[header.index("Family name")]: row for row in table[1:]}
    alpha = dict(zip(header, rows["Alpha"], strict=True))
    assert (alpha["Level"], alpha["Hobbies"], alpha["Shoe size"], alpha["First visit"]) == \
        ("ทอง", "茶, Golf", "9.5", "2026-01-05")
    assert dict(zip(header, rows["Formula"], strict=True))["ชื่อเล่น"] == "'=HYPERLINK(\"x\")"
    assert "VIP" not in header


def fields_of(key: str) -> CustomField:
    return CustomField.objects.get(record_kind="customers.contact", key=key)


def test_import_suggests_and_fills_custom_fields(org, custom_fields):
    data = csv_bytes([["ใจดี", "ทอง", "Golf; 茶", "1,500 thb", "yes", "๔๒"],
                      ["王", "玉", "", "CNY 20", "no", ""]],
                     headers=["Last name", "Level", "hobbies", "بودجه", "custom.vip",
                              "Shoe size"])
    job = upload(org.owner, data)
    assert job.mapping == {"Last name": "family_name", "Level": "custom.level",
                           "hobbies": "custom.hobbies", "بودجه": "custom.budget",
                           "custom.vip": "custom.vip", "Shoe size": "custom.shoe_size"}
    job = run(org.owner, data)
    assert (job.created, job.failed) == (2, 0), errors_of(job)
    thai = Contact.objects.get(family_name="ใจดี")
    assert thai.custom == {"level": "gold", "hobbies": ["golf", "tea"], "vip": True,
                           "budget": {"amount": "1500", "currency": "THB"}, "shoe_size": "42"}
    assert Contact.objects.get(family_name="王").custom == {
        "level": "玉", "vip": False, "budget": {"amount": "20", "currency": "CNY"}}


def test_import_row_errors_name_the_column(org, custom_fields):
    data = csv_bytes([["A", "platinum", "big"], ["B", "gold", "12"]],
                     headers=["Last name", "Level", "Shoe size"])
    job = run(org.owner, data)
    assert (job.created, job.failed) == (1, 1)
    assert sorted(errors_of(job)) == [(2, "Level", "Choose one of: gold, silver, 玉."),
                                      (2, "Shoe size", "Enter a number.")]


def test_import_update_keeps_custom_values_the_file_does_not_have(org, custom_fields):
    contact = make_contact(org.owner, "Boonmee", email="b@example.com",
                           custom={"nickname": "แมว", "level": "gold"})
    data = csv_bytes([["Boonmee", "b@example.com", "เงิน"]],
                     headers=["Last name", "Email", "Level"])
    job = run(org.owner, data, mapping={"Last name": "family_name", "Email": "email",
                                        "Level": "custom.level"}, duplicates="update",
              match_on=["email"])
    assert job.updated == 1, errors_of(job)
    contact.refresh_from_db()
    assert contact.custom == {"nickname": "แมว", "level": "silver"}


def test_import_mapping_refuses_unknown_custom_targets(org, custom_fields):
    job = upload(org.owner, csv_bytes([["A", "x"]], headers=["Last name", "Other"]))
    response = api_client(org.owner).patch(
        f"/api/v1/imports/{job.pk}", json.dumps({"mapping": {"Last name": "family_name",
                                                             "Other": "custom.nothing"}}),
        content_type="application/json")
    assert response.status_code == 422
    ok = api_client(org.owner).patch(
        f"/api/v1/imports/{job.pk}", json.dumps({"mapping": {"Last name": "family_name",
                                                             "Other": "custom.nickname"}}),
        content_type="application/json")
    assert ok.status_code == 200, ok.content


def test_accounts_take_custom_fields_too(org):
    define_custom_field(org.admin, "tier_code", "choice", kind="customers.account",
           choices=[{"value": "a", "label": "A"}])
    client = signed_in(org.owner)
    client.post(reverse("account_create"), {"name": "Siam", "type": "prospect",
                                            "custom.tier_code": "a"})
    assert Account.objects.get().custom == {"tier_code": "a"}
    assert listed_accounts(org, **{"custom.tier_code": "a"}) == ["Siam"]


def listed_accounts(org, **params) -> list[str]:
    response = api_client(org.owner).get("/api/v1/accounts/", params)
    return [r["name"] for r in response.json()["results"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_postgresql_answers_custom_filters_from_the_custom_values_index(org, people):
    from amity.customers.filters import ContactFilter

    Contact.objects.bulk_create(Contact(family_name=f"Contact {i:05}", owner=org.owner,
                                        team=org.east, custom={"level": "gold"})
                                for i in range(3000))
    with connection.cursor() as cursor:
        # As for the search indexes: new rows wait in GIN's pending list and so few rows
        # make a scan cheaper; what matters is that the planner can use the index.
        cursor.execute("SELECT gin_clean_pending_list('customers_contact_custom')")
        cursor.execute("ANALYZE customers_contact")
        cursor.execute("SET LOCAL enable_seqscan = off")
    visible = Contact.objects.visible_to(org.owner)
    for params in ({"custom.level": "玉"}, {"custom.hobbies": ["golf", "chess"]}):
        filtered = ContactFilter(params, queryset=visible)
        assert filtered.is_valid(), filtered.errors
        assert "customers_contact_custom" in filtered.qs.explain()

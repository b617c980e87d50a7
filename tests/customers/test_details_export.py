"""Exports carry a record's details: tags, income band, other emails and phones in one
cell, the primary address; vCards carry every email, phone and address. Chunks of records
read their details in a fixed number of queries."""

import openpyxl
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amity.customers import services
from tests.conftest import make_account, make_contact, signed_in
from tests.customers.test_export import download, read_csv


def detailed_contact(user, name: str, **data):
    contact = make_contact(user, name, email=f"{name.lower()}@example.com",
                           phone="+66 81 234 5678", tags=["VIP", "ลูกค้าประจำ"],
                           income_band="high", **data)
    services.contact_email_add(contact=contact, user=user, email=f"{name.lower()}@home.example")
    services.contact_email_add(contact=contact, user=user, email="=cmd@evil.example")
    services.contact_phone_add(contact=contact, user=user, phone="+86 138 6125 5925")
    services.address_add(record=contact, user=user, data={"street": "Old road", "city": "Nan"})
    services.address_add(record=contact, user=user, data={
        "street": "99 ถนนสุขุมวิท", "city": "กรุงเทพฯ", "postal_code": "10110", "country": "TH",
        "is_primary": True})
    return contact


def test_csv_and_xlsx_carry_the_details(org):
    detailed_contact(org.manager, "Somchai")
    client = signed_in(org.manager)
    table = read_csv(client.get(reverse("contact_export", args=["csv"])))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Income band"] == "High"
    assert row["Tags"] == "VIP, ลูกค้าประจำ"
    # The joined cell starts with a plain address, but a cell must never start a formula.
    assert row["Other email addresses"] == "somchai@home.example; =cmd@evil.example"
    assert row["Other phone numbers"] == "'+86 138 6125 5925"  # "+" starts a formula too
    assert row["Primary address"] == "99 ถนนสุขุมวิท, กรุงเทพฯ, 10110, TH"
    response = client.get(reverse("contact_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(filename=__import__("io").BytesIO(download(response))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert dict(zip(values[0], values[1], strict=True))["Tags"] == "VIP, ลูกค้าประจำ"
    account = make_account(org.manager, "Siam", tags=["Partner"])
    services.address_add(record=account, user=org.manager, data={"street": "1 Silom"})
    table = read_csv(client.get(reverse("account_export", args=["csv"])))
    assert dict(zip(table[0], table[1], strict=True))["Primary address"] == "1 Silom"


def test_vcard_carries_every_email_phone_and_address(org):
    detailed_contact(org.manager, "Somchai")
    response = signed_in(org.manager).get(reverse("contact_export", args=["vcf"]))
    card = next(vobject.readComponents(download(response).decode()))
    emails = {line.value: line.params.get("TYPE", []) for line in card.contents["email"]}
    assert set(emails) == {"somchai@example.com", "somchai@home.example", "=cmd@evil.example"}
    assert "PREF" in emails["somchai@example.com"]
    assert [line.value for line in card.contents["tel"]] == ["+66 81 234 5678",
                                                              "+86 138 6125 5925"]
    addresses = [line.value for line in card.contents["adr"]]
    assert {a.street for a in addresses} == {"Old road", "99 ถนนสุขุมวิท"}
    assert card.categories.value == ["VIP", "ลูกค้าประจำ"]


def test_export_queries_do_not_grow_with_records(org):
    client = signed_in(org.manager)
    detailed_contact(org.manager, "First")

    def count(fmt: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            download(client.get(reverse("contact_export", args=[fmt])))
        return len(queries)

    few = {fmt: count(fmt) for fmt in ("csv", "vcf")}
    for i in range(10):
        detailed_contact(org.manager, f"More{i}")
    assert {fmt: count(fmt) for fmt in ("csv", "vcf")} == few

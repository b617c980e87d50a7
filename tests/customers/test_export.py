"""Exports: only what the user may see, filtered like the list, formulas neutralised."""

import csv
import io

import openpyxl
import pytest
import vobject
from django.urls import reverse

from amity.core.exports import neutralise
from tests.conftest import api_client, make_account, make_contact, signed_in

FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response) -> list[list[str]]:
    body = download(response)
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_triggers_are_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("plain " + text) == "plain " + text


def test_csv_has_only_visible_records_and_follows_filters(org):
    make_account(org.owner, "บริษัท ข้าวหอม จำกัด", country="TH")
    make_account(org.teammate, "上海明华科技", country="CN")
    make_account(org.outsider, "West Secret", country="TH")
    make_account(org.manager, FORMULA, country="TH")
    # The owner's role (sales rep) may not export; the manager's may and sees everything.
    assert signed_in(org.owner).get(reverse("account_export", args=["csv"])).status_code == 403
    client = signed_in(org.manager)
    table = read_csv(client.get(reverse("account_export", args=["csv"]), {"country": "TH"}))
    header, body = table[0], table[1:]
    assert header[:4] == ["Id", "Name", "Legal name", "Type"]
    names = sorted(row[1] for row in body)
    assert names == sorted(["บริษัท ข้าวหอม จำกัด", "West Secret", "'" + FORMULA])


def test_team_scoped_exporter_gets_only_the_team(org):
    from amity.org.models import RolePermission

    RolePermission.objects.filter(role=org.owner.role).update(can_export=True)
    make_account(org.owner, "Mine")
    make_account(org.teammate, "Team's")
    make_account(org.outsider, "West Secret")
    rows = read_csv(signed_in(org.owner).get(reverse("account_export", args=["csv"])))
    assert sorted(r[1] for r in rows[1:]) == ["Mine", "Team's"]


def test_xlsx_export(org):
    make_account(org.manager, "پارس تجارت", city="تهران")
    make_account(org.manager, "@cmd")
    response = signed_in(org.manager).get(reverse("account_export", args=["xlsx"]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][1] == "Name"
    assert {row[1] for row in values[1:]} == {"پارس تجارت", "'@cmd"}
    assert "تهران" in values[1] + values[2]


def test_xlsx_export_drops_characters_a_workbook_cannot_hold(org):
    """A vertical tab or other control character pasted into a record (Outlook notes)
    would make the whole workbook fail; it is left out of its cell instead."""
    make_account(org.manager, "Pars\x0bTrading", description="line\x0bbreak\x01 ثبت")
    response = signed_in(org.manager).get(reverse("account_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == "ParsTrading" and "linebreak ثبت" in values[1]


def test_vcard_export_of_contacts(org):
    account = make_account(org.manager, "Minghua")
    make_contact(org.manager, "王", given_name="明", email="wang@minghua.example",
                 account=account)
    make_contact(org.outsider, "Boonmee", given_name="Niran")
    response = signed_in(org.manager).get(reverse("contact_export", args=["vcf"]))
    cards = list(vobject.readComponents(download(response).decode()))
    by_name = {card.fn.value: card for card in cards}
    assert set(by_name) == {"王明", "Niran Boonmee"}
    assert by_name["王明"].email.value == "wang@minghua.example"
    assert by_name["王明"].org.value == ["Minghua"]
    assert by_name["王明"].n.value.family == "王"


def test_accounts_do_not_export_to_vcard(org):
    assert signed_in(org.manager).get(reverse("account_export", args=["vcf"])).status_code == 404


def test_api_export_streams_and_is_gated(org):
    make_account(org.manager, "Exported", type="customer")
    make_account(org.manager, "Filtered out", type="prospect")
    response = api_client(org.manager).get("/api/v1/accounts/export",
                                           {"format": "csv", "type": "customer"})
    assert response.status_code == 200
    rows = read_csv(response)
    assert [r[1] for r in rows[1:]] == ["Exported"]
    denied = api_client(org.owner).get("/api/v1/accounts/export")
    assert denied.status_code == 403
    bad = api_client(org.manager).get("/api/v1/accounts/export", {"format": "vcf"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "format"
    bad = api_client(org.manager).get("/api/v1/accounts/export", {"format": "pdf"})
    assert bad.status_code == 422


def test_list_page_offers_export_only_with_the_right(org):
    assert "Export CSV" in signed_in(org.manager).get(reverse("account_list")).content.decode()
    assert "Export CSV" not in signed_in(org.owner).get(reverse("account_list")).content.decode()


def test_an_account_the_reader_may_not_see_is_blank_in_lists_and_exports(org):
    from amity.customers.models import Account
    from amity.org.models import RolePermission

    RolePermission.objects.filter(role=org.owner.role).update(can_export=True)
    secret = make_account(org.owner, "West Secret Co")
    shared = make_account(org.owner, "Siam Fresh Foods")
    make_contact(org.owner, "ใจดี", given_name="สมชาย", account=secret)
    make_contact(org.owner, "王", given_name="伟", account=shared)
    # The account moves to the other team; the contacts stay with the owner's.
    Account.objects.filter(pk=secret.pk).update(owner=org.outsider, team=org.west)

    def shown(user) -> dict[str, set[str]]:
        client, api = signed_in(user), api_client(user)
        csv_rows = read_csv(client.get(reverse("contact_export", args=["csv"])))
        column = csv_rows[0].index("Account")
        sheet = openpyxl.load_workbook(io.BytesIO(download(
            client.get(reverse("contact_export", args=["xlsx"]))))).active
        cards = vobject.readComponents(download(
            client.get(reverse("contact_export", args=["vcf"]))).decode())
        api_rows = read_csv(api.get("/api/v1/contacts/export", {"format": "csv"}))
        return {
            "list": {name for name in ("West Secret Co", "Siam Fresh Foods")
                     if name in client.get(reverse("contact_list")).content.decode()},
            "csv": {row[column] for row in csv_rows[1:]} - {""},
            "xlsx": {row[column].value for row in list(sheet.iter_rows())[1:]} - {None, ""},
            "vcf": {card.org.value[0] for card in cards if hasattr(card, "org")},
            "api": {row[column] for row in api_rows[1:]} - {""},
        }

    places = ["list", "csv", "xlsx", "vcf", "api"]
    assert shown(org.owner) == {place: {"Siam Fresh Foods"} for place in places}
    assert shown(org.manager) == {place: {"Siam Fresh Foods", "West Secret Co"}
                                  for place in places}

"""Phones in E.164 with the original kept, normalised emails, account details, consent."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.core.services import record_update
from amity.customers.models import Account, Contact
from amity.customers.selectors import current_consents, may_contact
from amity.customers.services import consent_record
from amity.events.models import Event
from tests.conftest import api_client, make_account, make_contact


@pytest.mark.parametrize(
    ("phone", "country", "expected"),
    [
        ("081 234 5678", "TH", "+66812345678"),
        ("0912 130 0303", "IR", "+989121300303"),
        ("+86 138 6125 5925", "", "+8613861255925"),
        ("(212) 555-0123", "US", "+12125550123"),
        ("+44 7700 900123", "TH", "+447700900123"),
    ],
)
def test_phones_are_stored_in_e164_with_the_original_kept(org, phone, country, expected):
    contact = make_contact(org.owner, phone=phone, country=country)
    assert (contact.phone, contact.phone_e164) == (phone, expected)


def test_phone_region_falls_back_to_the_account_country(org):
    account = make_account(org.owner, "Siam", country="TH")
    contact = make_contact(org.owner, phone="02 123 4567", account=account)
    assert contact.phone_e164 == "+6621234567"


@pytest.mark.parametrize("phone", ["not a phone", "12", "+66 1", "☎☎☎", "9" * 41])
def test_unreadable_phones_are_refused_by_field(org, phone):
    with pytest.raises(ValidationError) as error:
        make_contact(org.owner, phone=phone, country="TH")
    assert "phone" in error.value.message_dict
    assert Contact.objects.count() == 0


def test_emails_are_normalised_and_validated(org):
    contact = make_contact(org.owner, email="  Wang.Ming@MINGHUA.Example ")
    assert contact.email == "wang.ming@minghua.example"
    thai = make_contact(org.owner, "ใจดี", email="สมชาย@ตัวอย่าง.ไทย")
    assert thai.email == "สมชาย@ตัวอย่าง.ไทย"
    for bad in ("no-at-sign", "a@b", "a@@b.example", "<script>@x.example"):
        with pytest.raises(ValidationError) as error:
            make_contact(org.owner, email=bad)
        assert "email" in error.value.message_dict


def test_api_names_the_bad_fields(org):
    response = api_client(org.owner).post(
        "/api/v1/contacts/",
        json.dumps({"family_name": "Bad", "phone": "nonsense", "email": "x@", "gender": "robot",
                    "time_zone": "Mars/Olympus", "birth_date": "31/02/2020"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"birth_date", "gender"} <= fields  # refused by the schema before the model
    response = api_client(org.owner).post(
        "/api/v1/contacts/",
        json.dumps({"family_name": "Bad", "phone": "nonsense", "email": "x@",
                    "time_zone": "Mars/Olympus"}),
        content_type="application/json",
    )
    assert {e["field"] for e in response.json()["errors"]} == {"phone", "email", "time_zone"}
    assert Contact.objects.count() == 0


def test_account_money_and_hierarchy(org):
    parent = make_account(org.manager, "Holding", annual_revenue=Decimal("1250000.50"),
                          revenue_currency="THB", tier="strategic")
    child = make_account(org.manager, "Subsidiary", parent=parent)
    assert Account.objects.get(pk=parent.pk).annual_revenue == Decimal("1250000.50")
    with pytest.raises(ValidationError) as error:
        record_update(record=parent, user=org.manager, data={"parent": child})
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_account(org.manager, "No currency", annual_revenue=Decimal(1))
    assert "revenue_currency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_account(org.manager, "Bad currency", annual_revenue=Decimal(1),
                     revenue_currency="XYZ")
    assert "revenue_currency" in error.value.message_dict


def test_parent_must_be_visible(org):
    hidden = make_account(org.outsider, "West")
    response = api_client(org.owner).post("/api/v1/accounts/",
                                          json.dumps({"name": "Child", "parent": hidden.pk}),
                                          content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"


def test_consent_is_a_history_and_the_newest_statement_rules(org):
    contact = make_contact(org.owner, email="niran@example.com")
    assert not may_contact(contact, "email")  # never asked: never messaged
    consent_record(contact=contact, user=org.owner, channel="email", status="granted",
                   method="web_form", proof="https://amity.example/forms/1 from 203.0.113.9")
    assert may_contact(contact, "email") and not may_contact(contact, "sms")
    consent_record(contact=contact, user=org.teammate, channel="email", status="withdrawn",
                   method="email", proof="Reply: please stop")
    assert not may_contact(contact, "email")
    assert contact.consents.count() == 2
    assert current_consents(contact)["email"].status == "withdrawn"
    kinds = list(Event.objects.for_subject(contact).values_list("kind", flat=True))
    assert kinds.count("consent.granted") == 1 and kinds.count("consent.withdrawn") == 1


def test_consent_needs_change_rights_and_valid_values(org):
    contact = make_contact(org.owner)
    with pytest.raises(PermissionDenied):
        consent_record(contact=contact, user=org.outsider, channel="email", status="granted",
                       method="api")
    with pytest.raises(ValidationError) as error:
        consent_record(contact=contact, user=org.owner, channel="pigeon", status="granted",
                       method="api")
    assert "channel" in error.value.message_dict
    assert contact.consents.count() == 0


def test_consent_in_the_ui_and_the_api(org):
    from django.urls import reverse

    from tests.conftest import signed_in

    contact = make_contact(org.owner, email="suda@example.com")
    client = signed_in(org.teammate)
    page = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Not asked" in page
    response = client.post(reverse("contact_consent", args=[contact.pk]),
                           {"channel": "sms", "status": "granted", "method": "verbal",
                            "proof": "Call on 2026-11-23"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Call on 2026-11-23" in response.content.decode()
    assert may_contact(contact, "sms")
    bad = client.post(reverse("contact_consent", args=[contact.pk]),
                      {"channel": "sms", "status": "maybe", "method": "verbal"})
    assert bad.status_code == 422
    assert signed_in(org.outsider).post(reverse("contact_consent", args=[contact.pk]),
                                        {"channel": "sms", "status": "withdrawn",
                                         "method": "verbal"}).status_code == 404
    api = api_client(org.owner)
    url = f"/api/v1/contacts/{contact.pk}/consents"
    created = api.post(url, json.dumps({"channel": "email", "status": "granted"}),
                       content_type="application/json")
    assert created.status_code == 201 and created.json()["method"] == "api"
    listed = api.get(url).json()
    assert [c["channel"] for c in listed] == ["email", "sms"]
    refused = api.post(url, json.dumps({"channel": "fax", "status": "granted"}),
                       content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "channel"
    assert api_client(org.outsider).get(url).status_code == 404
    assert may_contact(contact, "sms") and may_contact(contact, "email")


def test_creating_a_likely_duplicate_warns_first(org):
    from django.urls import reverse

    from tests.conftest import signed_in

    make_contact(org.owner, "Boonmee", given_name="Niran", email="niran@siamfresh.example",
                 phone="081 234 5678", country="TH")
    make_contact(org.outsider, "Hidden", email="hidden@west.example")
    client = signed_in(org.teammate)
    form = {"family_name": "Boonmee-Other", "email": "NIRAN@SiamFresh.example"}
    response = client.post(reverse("contact_create"), form)
    assert response.status_code == 200
    assert "already exists" in response.content.decode() and "Niran Boonmee" in \
        response.content.decode()
    assert Contact.objects.count() == 2
    by_phone = client.post(reverse("contact_create"),
                           {"family_name": "Other", "phone": "+66812345678"})
    assert "Niran Boonmee" in by_phone.content.decode()
    # Another team's record is never offered as the duplicate: that would leak it.
    hidden = client.post(reverse("contact_create"),
                         {"family_name": "New", "email": "hidden@west.example"})
    assert hidden.status_code == 302
    anyway = client.post(reverse("contact_create"), {**form, "create_anyway": "1"})
    assert anyway.status_code == 302
    assert Contact.objects.count() == 4
    account = make_account(org.owner, "Siam Fresh")
    warned = client.post(reverse("account_create"), {"name": "SIAM FRESH", "type": "prospect"})
    assert warned.status_code == 200 and account.name in warned.content.decode()

"""Custom fields: definitions by administrators, values checked by one function
(clean_custom), stored normalised, recorded in the field history, in the API."""

import datetime as dt
import json
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.core.custom_fields import CustomField, clean_custom, custom_field_save
from amity.core.services import record_create, record_update
from amity.customers.models import Contact
from amity.events.selectors import field_history
from tests.conftest import api_client, define_custom_field, make_contact

KIND = "customers.contact"


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_values_are_normalised_to_strings_lists_and_booleans(custom_fields):
    cleaned = clean_custom(KIND, {
        "nickname": "  น้องแมว 🐱 ", "shoe_size": "๔๒.50", "budget": {"amount": 1500,
                                                                   "currency": "thb"},
        "first_visit": dt.date(2026, 4, 13), "level": "玉", "hobbies": ["tea", "golf", "tea"],
        "vip": "yes",
    })
    assert cleaned == {"nickname": "น้องแมว 🐱", "shoe_size": "42.5",
                       "budget": {"amount": "1500", "currency": "THB"},
                       "first_visit": "2026-04-13", "level": "玉", "hobbies": ["tea", "golf"],
                       "vip": True}
    # Cleaning what is stored gives it back unchanged (forms, then the service, both check).
    assert clean_custom(KIND, cleaned) == cleaned
    assert clean_custom(KIND, {"shoe_size": "۱۲٫۵"})["shoe_size"] == "12.5"  # Persian digits


@pytest.mark.parametrize(("key", "value", "message"), [
    ("nickname", 42, "Enter text."),
    ("nickname", "x" * 1001, "at most 1000 characters"),
    ("nickname", "a\x00b", "control characters"),
    ("shoe_size", "forty", "Enter a number."),
    ("shoe_size", True, "Enter a number."),
    ("shoe_size", "NaN", "Enter a number."),
    ("shoe_size", "Infinity", "Enter a number."),
    ("shoe_size", "1e15", "below"),
    ("shoe_size", 10 ** 400, "below"),
    ("shoe_size", "0.1234567", "6 decimal places"),
    ("budget", "1500 THB", "amount and a currency"),
    ("budget", {"amount": 5, "currency": "XXY"}, "ISO currency"),
    ("budget", {"amount": 5}, "currency"),
    ("budget", {"amount": 5, "currency": "THB", "rate": 1}, "amount and a currency"),
    ("first_visit", "13/04/2026", "YYYY-MM-DD"),
    ("first_visit", "2026-02-30", "YYYY-MM-DD"),
    ("first_visit", 20260413, "YYYY-MM-DD"),
    ("level", "platinum", "Choose one of"),
    ("level", ["gold"], "Choose one of"),
    ("hobbies", "golf", "list of choices"),
    ("hobbies", ["golf", "'; DROP TABLE x; --"], "Choose one of"),
    ("vip", "maybe", "yes or no"),
    ("vip", 1, "yes or no"),
])
def test_wrong_values_are_refused_by_field(custom_fields, key, value, message):
    errors = errors_of(lambda: clean_custom(KIND, {key: value}))
    assert list(errors) == [f"custom.{key}"]
    assert message in errors[f"custom.{key}"][0]


def test_unknown_archived_and_required_fields(custom_fields, org):
    errors = errors_of(lambda: clean_custom(KIND, {"<script>": "x", "nickname": "ok"}))
    assert errors == {"custom.<script>": ["There is no such custom field."]}
    assert errors_of(lambda: clean_custom(KIND, ["nickname"])) == {
        "custom": ["Give the custom fields as an object of key: value."]}
    custom_field_save(actor=org.admin, field=custom_fields["vip"], data={"archived": True})
    assert "custom.vip" in errors_of(lambda: clean_custom(KIND, {"vip": True}))
    custom_field_save(actor=org.admin, field=custom_fields["level"], data={"required": True})
    assert errors_of(lambda: clean_custom(KIND, {})) == {
        "custom.level": ["This field is required."]}
    assert errors_of(lambda: clean_custom(KIND, {"level": ""}, partial=True)) == {
        "custom.level": ["This field is required."]}
    # A change of other keys (PATCH) does not need the required one again.
    assert clean_custom(KIND, {"nickname": "x"}, partial=True) == {"nickname": "x"}


def test_definitions_are_checked_and_only_admins_make_them(org, custom_fields):
    with pytest.raises(PermissionDenied):
        define_custom_field(org.manager, "mine", "text")
    define = partial(define_custom_field, org.admin)
    assert "key" in errors_of(lambda: define("nickname", "text"))
    assert "key" in errors_of(lambda: define("Bad Key", "text"))
    assert "key" in errors_of(lambda: define("a__b", "text"))
    assert "record_kind" in errors_of(lambda: define("x", "text", kind="org.user"))
    assert "choices" in errors_of(lambda: define("empty", "choice", choices=[]))
    assert "choices" in errors_of(lambda: define("twice", "choice", choices=[
        {"value": "a", "label": "A"}, {"value": "a", "label": "B"}]))
    # The same key on another kind is another field.
    assert define_custom_field(org.admin, "nickname", "text", kind="customers.account").pk
    # Kind, key and type are fixed once the field exists: stored values depend on them.
    errors = errors_of(lambda: custom_field_save(actor=org.admin, field=custom_fields["level"],
                                                 data={"key": "grade", "type": "text"}))
    assert set(errors) == {"key", "type"}
    assert CustomField.objects.get(pk=custom_fields["level"].pk).key == "level"


def test_create_and_update_keep_archived_values_and_record_history(org, custom_fields):
    contact = record_create(model=Contact, user=org.owner, data={
        "family_name": "ใจดี", "custom": {"nickname": "แมว", "level": "gold", "vip": True}})
    assert contact.custom == {"nickname": "แมว", "level": "gold", "vip": True}
    custom_field_save(actor=org.admin, field=custom_fields["vip"], data={"archived": True})
    record_update(record=contact, user=org.owner,
                  data={"custom": {"level": "silver", "nickname": None, "shoe_size": 42}})
    contact.refresh_from_db()
    assert contact.custom == {"level": "silver", "vip": True, "shoe_size": "42"}
    changes = field_history(subject=contact).first().payload["changes"]
    assert changes == {"custom.level": {"old": "ทอง", "new": "เงิน"},
                       "custom.nickname": {"old": "แมว", "new": None},
                       "custom.shoe_size": {"old": None, "new": "42"}}
    created = field_history(subject=contact).last().payload["changes"]
    assert created["custom.vip"] == {"old": None, "new": "Yes"}


def test_a_refused_value_changes_nothing(org, custom_fields):
    contact = make_contact(org.owner, "Boonmee", custom={"nickname": "แมว"})
    errors = errors_of(lambda: record_update(record=contact, user=org.owner, data={
        "city": "Bangkok", "custom": {"nickname": "หมา", "shoe_size": "huge"}}))
    assert errors == {"custom.shoe_size": ["Enter a number."]}
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.city, contact.custom) == ("", {"nickname": "แมว"})


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_api_reads_and_writes_custom_values(org, custom_fields):
    client = api_client(org.owner)
    created = post(client, "/api/v1/contacts/", {"family_name": "王", "custom": {
        "nickname": "小王 🐉", "budget": {"amount": "99.95", "currency": "CNY"},
        "hobbies": ["tea"], "first_visit": "2026-01-31"}})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["custom"] == {"nickname": "小王 🐉", "budget": {"amount": "99.95",
                                                             "currency": "CNY"},
                              "hobbies": ["tea"], "first_visit": "2026-01-31"}
    url = f"/api/v1/contacts/{body['id']}"
    changed = patch(client, url, {"custom": {"shoe_size": 41.5, "hobbies": None}})
    assert changed.status_code == 200
    assert changed.json()["custom"] == {"nickname": "小王 🐉", "first_visit": "2026-01-31",
                                        "budget": {"amount": "99.95", "currency": "CNY"},
                                        "shoe_size": "41.5"}
    assert client.get(url).json()["custom"]["shoe_size"] == "41.5"


def test_api_errors_name_the_custom_field(org, custom_fields):
    client = api_client(org.owner)
    response = post(client, "/api/v1/contacts/", {"family_name": "X", "custom": {
        "shoe_size": "a lot", "unknown_key": 1, "level": "platinum"}})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert {e["field"] for e in response.json()["errors"]} == {
        "custom.shoe_size", "custom.unknown_key", "custom.level"}
    assert not Contact.objects.filter(family_name="X").exists()
    response = post(client, "/api/v1/contacts/", {"family_name": "X", "custom": "nickname"})
    assert response.status_code == 422


def test_api_patch_of_another_teams_record_is_404_and_changes_nothing(org, custom_fields):
    contact = make_contact(org.outsider, "West", custom={"nickname": "ลับ"})
    response = patch(api_client(org.owner), f"/api/v1/contacts/{contact.pk}",
                     {"custom": {"nickname": "hacked"}})
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.custom == {"nickname": "ลับ"}


def test_api_lists_the_definitions_of_a_kind(org, custom_fields):
    custom_field_save(actor=org.admin, field=custom_fields["vip"], data={"archived": True})
    client = api_client(org.owner)
    response = client.get("/api/v1/custom-fields/customers.contact")
    assert response.status_code == 200
    listed = {f["key"]: f for f in response.json()}
    assert "vip" not in listed
    assert listed["level"]["choices"][0] == {"value": "gold", "label": "ทอง"}
    assert listed["budget"]["type"] == "money"
    assert client.get("/api/v1/custom-fields/org.user").status_code == 404
    assert client.get("/api/v1/custom-fields/customers.account").json() == []


def test_required_field_is_enforced_on_api_create_only_when_missing(org, custom_fields):
    custom_field_save(actor=org.admin, field=custom_fields["level"], data={"required": True})
    client = api_client(org.owner)
    response = post(client, "/api/v1/contacts/", {"family_name": "Y"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "custom.level",
                                          "message": "This field is required."}]
    assert post(client, "/api/v1/contacts/", {"family_name": "Y",
                                              "custom": {"level": "gold"}}).status_code == 201


def test_numbers_keep_their_precision(custom_fields):
    cleaned = clean_custom(KIND, {"shoe_size": Decimal("999999999999999.999999"),
                                  "budget": {"amount": "-0.0001", "currency": "KWD"}})
    assert cleaned == {"shoe_size": "999999999999999.999999",
                       "budget": {"amount": "-0.0001", "currency": "KWD"}}


def test_blank_text_is_empty_and_a_flood_of_unknown_keys_is_cut_short(org, custom_fields):
    custom_field_save(actor=org.admin, field=custom_fields["nickname"], data={"required": True})
    assert errors_of(lambda: clean_custom(KIND, {"nickname": " \n\t "})) == {
        "custom.nickname": ["This field is required."]}
    flood = {f"k{i}": i for i in range(10_000)} | {"nickname": "ok"}
    assert len(errors_of(lambda: clean_custom(KIND, flood))) == 20

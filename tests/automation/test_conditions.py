"""Each condition type: field comparisons on built-in and custom fields (text, choice,
number, money, date, yes/no, several choices), tags, and "changed" / "changed to"."""

import datetime as dt

import pytest

from amity.automation.engine import rule_matches
from amity.automation.models import Rule
from amity.automation.services import rule_clean
from amity.core.services import record_update
from amity.events.models import Event
from tests.conftest import make_account, make_contact

ACTIONS = [{"type": "add_tag", "tag": "x"}]


def check(kind, conditions, record, event=None, event_kind="updated"):
    cleaned = rule_clean({"name": "r", "record_kind": kind, "trigger": "event",
                          "event_kind": event_kind, "conditions": conditions,
                          "actions": ACTIONS})
    rule = Rule(**cleaned)
    return rule_matches(rule, record, event)


def field(name, op, value=None):
    row = {"type": "field", "field": name, "op": op}
    if value is not None:
        row["value"] = value
    return row


@pytest.mark.parametrize(("condition", "expected"), [
    (field("name", "equals", "siam fresh"), True),  # text compares without case
    (field("name", "not_equals", "Other"), True),
    (field("name", "contains", "FRE"), True),
    (field("industry", "is_empty"), True),
    (field("industry", "not_empty"), False),
    (field("tier", "equals", "key"), True),
    (field("tier", "not_equals", "key"), False),
    (field("employees", "gt", "40"), True),
    (field("employees", "lt", "40"), False),
    (field("employees", "gte", "٥٠"), True),  # Persian digits are digits
    (field("annual_revenue", "gt", "1000000 THB"), True),
    (field("annual_revenue", "gt", "1000000 USD"), False),  # another currency never matches
    (field("annual_revenue", "lte", "2500000.50 thb"), True),
    (field("annual_revenue", "equals", "2500000 THB"), True),
    (field("created_at", "lt", "2999-01-01"), True),
    (field("created_at", "gt", "2999-01-01"), False),
])
def test_builtin_field_comparisons(org, condition, expected):
    account = make_account(org.owner, "Siam Fresh", tier="key", employees=50,
                           annual_revenue="2500000", revenue_currency="THB")
    assert check("customers.account", [condition], account) is expected


@pytest.mark.parametrize(("condition", "expected"), [
    (field("custom.nickname", "equals", "น้อย"), True),
    (field("custom.nickname", "contains", "น้"), True),
    (field("custom.nickname", "not_equals", "น้อย"), False),
    (field("custom.shoe_size", "gt", "41.5"), True),
    (field("custom.shoe_size", "lt", "41.5"), False),
    (field("custom.budget", "gte", "1500 THB"), True),
    (field("custom.budget", "gt", "1500 THB"), False),
    (field("custom.budget", "lt", "99999 IRR"), False),  # another currency
    (field("custom.first_visit", "gt", "2026-01-31"), True),
    (field("custom.first_visit", "lt", "2026-01-31"), False),
    (field("custom.first_visit", "equals", "2026-02-01"), True),
    (field("custom.level", "equals", "玉"), True),
    (field("custom.level", "not_equals", "gold"), True),
    (field("custom.hobbies", "contains", "tea"), True),
    (field("custom.hobbies", "contains", "golf"), False),
    (field("custom.vip", "equals", "true"), True),
    (field("custom.vip", "equals", "no"), False),
    (field("custom.nickname", "not_empty"), True),
    (field("birth_date", "is_empty"), True),
])
def test_custom_field_comparisons(org, custom_fields, condition, expected):
    contact = make_contact(org.owner, custom={
        "nickname": "น้อย", "shoe_size": "42", "budget": {"amount": "1500", "currency": "THB"},
        "first_visit": "2026-02-01", "level": "玉", "hobbies": ["tea", "chess"], "vip": True})
    assert check("customers.contact", [condition], contact) is expected


def test_an_empty_custom_value_is_not_unequal_to_nothing(org, custom_fields):
    contact = make_contact(org.owner)
    assert check("customers.contact", [field("custom.nickname", "is_empty")], contact)
    assert check("customers.contact", [field("custom.nickname", "not_equals", "x")], contact)
    assert not check("customers.contact", [field("custom.shoe_size", "gt", "1")], contact)


def test_tags(org):
    account = make_account(org.owner, tags=["VIP", "ลูกค้าประจำ"])
    assert check("customers.account", [{"type": "tag", "op": "has", "value": "vip"}], account)
    assert check("customers.account", [{"type": "tag", "op": "has", "value": "ลูกค้าประจำ"}],
                 account)
    assert not check("customers.account", [{"type": "tag", "op": "lacks", "value": "VIP"}],
                     account)
    assert check("customers.account", [{"type": "tag", "op": "lacks", "value": "🚀"}], account)


def test_all_conditions_must_hold(org):
    account = make_account(org.owner, tier="key", city="Bangkok")
    both = [field("tier", "equals", "key"), field("city", "equals", "Bangkok")]
    assert check("customers.account", both, account)
    assert not check("customers.account", [*both, field("city", "equals", "Tehran")], account)


def test_changed_and_changed_to(org):
    account = make_account(org.owner, tier="standard")
    record_update(record=account, user=org.owner, data={"tier": "key"})
    event = Event.objects.for_subject(account).get(kind="updated")
    assert check("customers.account", [{"type": "changed", "field": "tier"}], account, event)
    assert not check("customers.account", [{"type": "changed", "field": "city"}], account, event)
    assert check("customers.account", [{"type": "changed_to", "field": "tier", "value": "key"}],
                 account, event)
    assert not check("customers.account",
                     [{"type": "changed_to", "field": "tier", "value": "strategic"}],
                     account, event)


def test_a_custom_field_changed(org, custom_fields):
    contact = make_contact(org.owner)
    record_update(record=contact, user=org.owner, data={"custom": {"shoe_size": "44"}})
    event = Event.objects.for_subject(contact).get(kind="updated")
    assert check("customers.contact", [{"type": "changed", "field": "custom.shoe_size"}],
                 contact, event)
    assert check("customers.contact",
                 [{"type": "changed_to", "field": "custom.shoe_size", "value": "44.0"}],
                 contact, event)


def test_a_date_time_field_compares_by_its_date(org):
    account = make_account(org.owner)
    today = account.created_at.date().isoformat()
    assert check("customers.account", [field("created_at", "equals", today)], account)
    tomorrow = (account.created_at.date() + dt.timedelta(days=1)).isoformat()
    assert check("customers.account", [field("created_at", "lt", tomorrow)], account)


@pytest.fixture
def segment_condition():
    """A condition type as marketing will add one for segment membership."""
    from django.core.exceptions import ValidationError
    from django.db.models import Q

    from amity.automation.conditions import _TYPES, ConditionType, register_condition

    segments = {"bangkok": ("Bangkok", Q(city="Bangkok"))}

    def clean(kind, row):
        if row.get("value") not in segments:
            raise ValidationError({"value": ["Choose a segment."]})
        return {"type": "segment", "value": row["value"]}

    register_condition(ConditionType(
        "segment", "In segment", ("value",), clean,
        describe=lambda kind, row: f"in {segments[row['value']][0]}",
        q=lambda kind, row: segments[row["value"]][1],
        value_choices=lambda kind, row: [(k, v[0]) for k, v in segments.items()]))
    yield
    _TYPES.pop("segment")


def test_another_app_adds_a_condition_type(org, segment_condition):
    from django.urls import reverse

    from tests.conftest import signed_in

    bangkok, tehran = make_account(org.owner, city="Bangkok"), make_account(org.owner,
                                                                             city="Tehran")
    condition = [{"type": "segment", "value": "bangkok"}]
    assert check("customers.account", condition, bangkok)
    assert not check("customers.account", condition, tehran)
    with pytest.raises(Exception, match="Choose a segment"):
        check("customers.account", [{"type": "segment", "value": "mars"}], bangkok)
    html = signed_in(org.admin).post(reverse("rule_create"), {
        "name": "x", "record_kind": "customers.account", "trigger": "event",
        "event_kind": "created", "c0-type": "segment", "op": "refresh"}).content.decode()
    assert '<option value="bangkok">Bangkok</option>' in html

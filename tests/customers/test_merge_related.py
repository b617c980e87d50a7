"""A contact merge moves everything that hangs off the merged contacts to the survivor,
and undo puts each piece back where it was."""

import pytest

from amity.customers.merge import contact_merge, contact_merge_undo
from amity.customers.models import (
    Address,
    Contact,
    ContactEmail,
    ContactPhone,
    Membership,
    SocialHandle,
)
from tests.conftest import define_custom_field, make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, custom_fields):
    """Two entries of one person, each with their own addresses, handles, links and tags."""
    define_custom_field(org.admin, "region", "text")
    siam = make_account(org.owner, "Siam Fresh Foods", country="TH")
    lotus = make_account(org.owner, "Lotus Trading", country="TH")
    survivor = make_contact(org.owner, "Boonmee", given_name="Somchai", account=siam,
                            email="somchai@siam.example", phone="081 234 5678", country="TH",
                            custom={"shoe_size": "42", "vip": True})
    other = make_contact(org.owner, "Bunmee", given_name="Somchai", account=lotus,
                         job_title="Buyer", email="somchai@gmail.example",
                         phone="+66 89 999 0000", country="TH",
                         custom={"shoe_size": "43", "region": "North"})
    ContactEmail.objects.create(contact=survivor, email="s.boonmee@old.example")
    ContactEmail.objects.create(contact=other, email="s.boonmee@old.example")  # in both
    ContactEmail.objects.create(contact=other, email="somchai@siam.example")  # survivor's primary
    ContactEmail.objects.create(contact=other, email="boonmee@home.example", label="home")
    ContactPhone.objects.create(contact=other, phone="02 123 4567", phone_e164="+6621234567")
    Address.objects.create(contact=survivor, street="1 Silom Rd", city="Bangkok", is_primary=True)
    Address.objects.create(contact=other, street="9 Nimman Rd", city="Chiang Mai",
                           is_primary=True)
    SocialHandle.objects.create(contact=survivor, network="line", handle="somchai")
    SocialHandle.objects.create(contact=other, network="line", handle="somchai")
    SocialHandle.objects.create(contact=other, network="linkedin", handle="in/somchai-b")
    Membership.objects.create(contact=survivor, account=siam, role="Decision maker")
    Membership.objects.create(contact=other, account=siam, role="Billing contact")
    Membership.objects.create(contact=other, account=lotus, title="Buyer")
    survivor.tags.add("vip", "bangkok")
    other.tags.add("vip", "trade-fair")
    survivor.interests.add("durian")
    other.interests.add("golf", "durian")
    return survivor, other, siam, lotus


def state(contact: Contact) -> dict:
    """What a user sees of a contact's related records."""
    return {
        "emails": sorted(contact.other_emails.values_list("email", "label")),
        "phones": sorted(contact.other_phones.values_list("phone_e164", flat=True)),
        "addresses": sorted(contact.addresses.values_list("street", "is_primary")),
        "handles": sorted(contact.social_handles.values_list("network", "handle")),
        "memberships": sorted(contact.memberships.values_list("account__name", "role",
                                                              "title")),
        "tags": sorted(contact.tags.names()),
        "interests": sorted(contact.interests.names()),
        "custom": contact.custom,
    }


def test_everything_moves_to_the_survivor_without_duplicates(org, people):
    survivor, other, _siam, _lotus = people
    contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    merged = state(Contact.objects.get(pk=survivor.pk))
    assert merged["emails"] == [  # the other's primary kept as another email; no repeats
        ("boonmee@home.example", "home"), ("s.boonmee@old.example", "other"),
        ("somchai@gmail.example", "other")]
    assert merged["phones"] == ["+6621234567", "+66899990000"]
    # One primary address: the survivor's.
    assert merged["addresses"] == [("1 Silom Rd", True), ("9 Nimman Rd", False)]
    assert merged["handles"] == [("line", "somchai"), ("linkedin", "in/somchai-b")]
    # The survivor's membership at Siam stays; Lotus (the other's account) is kept.
    assert merged["memberships"] == [("Lotus Trading", "", "Buyer"),
                                     ("Siam Fresh Foods", "Decision maker", "")]
    assert merged["tags"] == ["bangkok", "trade-fair", "vip"]
    assert merged["interests"] == ["durian", "golf"]
    # Custom values: the survivor's where it has one, the other's where it has none.
    assert merged["custom"] == {"shoe_size": "42", "vip": True, "region": "North"}


def test_chosen_primary_email_keeps_the_old_one_as_another_email(org, people):
    survivor, other, _siam, _lotus = people
    contact_merge(survivor=survivor, others=[other], user=org.owner,
                  choices={"email": other.pk, "phone": other.pk, "custom.shoe_size": other.pk})
    survivor = Contact.objects.get(pk=survivor.pk)
    assert survivor.email == "somchai@gmail.example"
    assert survivor.phone_e164 == "+66899990000"
    emails = set(survivor.other_emails.values_list("email", flat=True))
    assert "somchai@siam.example" in emails and "somchai@gmail.example" not in emails
    assert "+66812345678" in set(survivor.other_phones.values_list("phone_e164", flat=True))
    assert survivor.custom["shoe_size"] == "43"


def test_a_merged_contacts_main_account_becomes_a_membership(org):
    siam = make_account(org.owner, "Siam Fresh Foods")
    lotus = make_account(org.owner, "Lotus Trading")
    survivor = make_contact(org.owner, "Boonmee", account=siam)
    other = make_contact(org.owner, "Boonmee", account=lotus, job_title="Buyer")
    event = contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert list(survivor.memberships.values_list("account__name", "title")) == [
        ("Lotus Trading", "Buyer")]
    assert Contact.objects.get(pk=survivor.pk).account == siam
    contact_merge_undo(event=event, user=org.owner)
    assert not Membership.objects.exists()


def test_undo_puts_every_related_record_back(org, people):
    survivor, other, _siam, _lotus = people
    before = {c.pk: state(c) for c in (survivor, other)}
    ids_before = {model: set(model.objects.values_list("pk", flat=True))
                  for model in (ContactEmail, ContactPhone, SocialHandle, Membership, Address)}
    event = contact_merge(survivor=survivor, others=[other], user=org.owner,
                          choices={"email": other.pk, "custom.shoe_size": other.pk})
    moved = event.payload["moved"]
    assert moved["emails"]["dropped"] and moved["memberships"]["dropped"]
    assert moved["addresses"]["unflagged"]
    contact_merge_undo(event=event, user=org.owner)
    after = {c.pk: state(Contact.objects.get(pk=c.pk)) for c in (survivor, other)}
    assert after == before
    # The dropped rows came back with their own ids; the rows the merge added are gone.
    for model, ids in ids_before.items():
        assert set(model.objects.values_list("pk", flat=True)) == ids


def test_three_contacts_at_once(org, people):
    survivor, other, _siam, _lotus = people
    third = make_contact(org.owner, "Boonmee", given_name="Somchai",
                         email="somchai@gmail.example")  # the same email as the other's
    Address.objects.create(contact=third, street="3 Thonglor", is_primary=True)
    third.tags.add("golfer")
    event = contact_merge(survivor=survivor, others=[other, third], user=org.owner,
                          choices={})
    merged = state(Contact.objects.get(pk=survivor.pk))
    assert [a for a in merged["addresses"] if a[1]] == [("1 Silom Rd", True)]
    assert len(merged["addresses"]) == 3
    assert [e for e, _label in merged["emails"]].count("somchai@gmail.example") == 1
    assert "golfer" in merged["tags"]
    contact_merge_undo(event=event, user=org.owner)
    assert state(Contact.objects.get(pk=third.pk))["addresses"] == [("3 Thonglor", True)]
    assert Contact.objects.get(pk=third.pk).tags.names()[0] == "golfer"


def test_custom_choice_of_an_unknown_key_names_it(org, people):
    survivor, other, _siam, _lotus = people
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        contact_merge(survivor=survivor, others=[other], user=org.owner,
                      choices={"custom.nope": other.pk})
    assert "custom.nope" in exc.value.message_dict
    assert Contact.objects.filter(pk=other.pk).exists()

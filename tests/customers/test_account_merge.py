"""Merging duplicate accounts: chosen values, everything attached moves, undo once,
the page and the API, and no way in through another team's ids."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.core.services import record_update
from amity.customers.merge import account_merge, contact_merge, record_merge_undo
from amity.customers.models import Account, Address, Contact, Membership
from amity.events.models import Event
from tests.conftest import api_client, define_custom_field, make_account, make_contact, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(org):
    """Siam Fresh Foods entered twice, each with contacts, a child, an address and tags."""
    define_custom_field(org.admin, "segment", "text", kind="customers.account")
    group = make_account(org.owner, "Siam Group")
    survivor = make_account(org.owner, "Siam Fresh Foods", city="Bangkok", country="TH",
                            custom={"segment": "retail"})
    other = make_account(org.owner, "Siam Fresh Food Co.", website="https://siamfresh.example",
                         phone="+66 2 123 4567", parent=group, custom={"segment": "b2b"})
    somchai = make_contact(org.owner, "Boonmee", account=other)
    malee = make_contact(org.owner, "Jaidee", account=survivor)
    branch = make_account(org.owner, "Siam Fresh Chiang Mai", parent=other)
    Membership.objects.create(contact=malee, account=other, role="Billing contact")
    Membership.objects.create(contact=malee, account=survivor, role="Decision maker")
    Address.objects.create(account=survivor, street="1 Silom Rd", is_primary=True)
    Address.objects.create(account=other, street="99 Rama IV", is_primary=True)
    survivor.tags.add("retail")
    other.tags.add("retail", "export")
    return survivor, other, somchai, malee, branch, group


def test_merge_moves_contacts_children_memberships_addresses_and_tags(org, accounts):
    survivor, other, somchai, malee, branch, group = accounts
    event = account_merge(survivor=survivor, others=[other], user=org.owner,
                          choices={"parent": other.pk, "custom.segment": other.pk})
    survivor = Account.objects.get(pk=survivor.pk)
    assert survivor.website == "https://siamfresh.example"  # empty on the survivor
    assert survivor.city == "Bangkok" and survivor.parent == group
    assert survivor.custom == {"segment": "b2b"}
    assert Contact.objects.get(pk=somchai.pk).account == survivor
    assert Account.objects.get(pk=branch.pk).parent == survivor
    assert list(Membership.objects.filter(contact=malee).values_list("account", "role")) == [
        (survivor.pk, "Decision maker")]  # the survivor's kept
    assert sorted(survivor.addresses.values_list("street", "is_primary")) == [
        ("1 Silom Rd", True), ("99 Rama IV", False)]
    assert sorted(survivor.tags.names()) == ["export", "retail"]
    gone = Account.deleted_objects.get(pk=other.pk)
    assert gone.merged_into == survivor and gone.deleted_by == org.owner
    assert not Account.objects.filter(pk=other.pk).exists()
    assert event.payload["changes"]["parent"]["new"] == "Siam Group"
    page = signed_in(org.owner).get(f"/accounts/{survivor.pk}/")
    assert "merged_into" in [e.kind for e in page.context["timeline"].items]


def test_undo_restores_the_accounts_exactly(org, accounts):
    survivor, other, somchai, malee, branch, _group = accounts
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    record_merge_undo(event=event, user=org.owner)
    back = Account.objects.get(pk=other.pk)
    assert back.merged_into is None and back.website == "https://siamfresh.example"
    assert Account.objects.get(pk=survivor.pk).website == ""
    assert Contact.objects.get(pk=somchai.pk).account == back
    assert Account.objects.get(pk=branch.pk).parent == back
    assert sorted(Membership.objects.filter(contact=malee).values_list("account", "role")) == \
        sorted([(other.pk, "Billing contact"), (survivor.pk, "Decision maker")])
    assert list(back.addresses.values_list("street", "is_primary")) == [("99 Rama IV", True)]
    assert sorted(back.tags.names()) == ["export", "retail"]
    assert sorted(Account.objects.get(pk=survivor.pk).tags.names()) == ["retail"]
    with pytest.raises(ValidationError):
        record_merge_undo(event=event, user=org.owner)


def test_undo_refused_when_the_survivor_changed_since(org, accounts):
    survivor, other, *_rest = accounts
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    record_update(record=Account.objects.get(pk=survivor.pk), user=org.owner,
                  data={"website": "https://other.example"})
    with pytest.raises(ValidationError) as exc:
        record_merge_undo(event=event, user=org.owner)
    assert "website" in exc.value.message_dict
    assert not Account.objects.filter(pk=other.pk).exists()


def test_a_merged_account_cannot_become_the_parent(org, accounts):
    _survivor, other, _s, _m, branch, _group = accounts
    with pytest.raises(ValidationError) as exc:
        account_merge(survivor=branch, others=[other], user=org.owner, choices={})
    assert "parent" in exc.value.message_dict  # branch's parent is the merged account
    assert Account.objects.filter(pk=other.pk).exists()
    assert Account.objects.get(pk=branch.pk).parent == other


def test_another_teams_account_is_refused_and_nothing_changes(org, accounts):
    survivor, other, somchai, *_rest = accounts
    theirs = make_account(org.outsider, "Siam Fresh Foods")
    with pytest.raises(PermissionDenied):
        account_merge(survivor=survivor, others=[theirs], user=org.owner, choices={})
    client = signed_in(org.owner)
    assert client.get(f"/accounts/{survivor.pk}/merge/?with={theirs.pk}").status_code == 404
    assert client.post(f"/accounts/{survivor.pk}/merge/", {"with": theirs.pk}).status_code == 404
    assert client.get(f"/accounts/{theirs.pk}/merge/").status_code == 404
    api = api_client(org.owner)
    answer = api.post(f"/api/v1/accounts/{survivor.pk}/merge",
                      json.dumps({"others": [theirs.pk]}), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "others"
    answer = api.post(f"/api/v1/accounts/{theirs.pk}/merge",
                      json.dumps({"others": [survivor.pk]}), content_type="application/json")
    assert answer.status_code == 404
    # A contact id is not an account id either.
    answer = api.post(f"/api/v1/accounts/{survivor.pk}/merge",
                      json.dumps({"others": [somchai.pk + 10_000]}),
                      content_type="application/json")
    assert answer.status_code == 422
    assert Account.objects.filter(pk__in=[theirs.pk, survivor.pk, other.pk]).count() == 3
    assert not Event.objects.filter(kind="merged").exists()
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert signed_in(org.outsider).post(
        f"/accounts/{survivor.pk}/merge/{event.pk}/undo/").status_code == 404
    assert api_client(org.outsider).post(
        f"/api/v1/accounts/{survivor.pk}/merge/{event.pk}/undo").status_code == 404
    assert not Account.objects.filter(pk=other.pk).exists()


def test_page_merge_and_undo(org, accounts):
    survivor, other, somchai, *_rest = accounts
    client = signed_in(org.owner)
    assert f"/accounts/{survivor.pk}/merge/" in client.get(f"/accounts/{survivor.pk}/").text
    page = client.get(f"/accounts/{survivor.pk}/merge/?with={other.pk}")
    assert page.status_code == 200
    assert "https://siamfresh.example" in page.text and "b2b" in page.text
    answer = client.post(f"/accounts/{survivor.pk}/merge/",
                         {"with": other.pk, "version": survivor.version, "name": other.pk,
                          "custom.segment": other.pk}, follow=True)
    assert answer.status_code == 200
    survivor = Account.objects.get(pk=survivor.pk)
    assert survivor.name == "Siam Fresh Food Co." and survivor.custom["segment"] == "b2b"
    event = Event.objects.get(kind="merged")
    undo = f"/accounts/{survivor.pk}/merge/{event.pk}/undo/"
    assert undo in answer.text
    client.post(undo)
    assert Account.objects.get(pk=survivor.pk).name == "Siam Fresh Foods"
    assert Contact.objects.get(pk=somchai.pk).account_id == other.pk


def test_api_merge_and_undo(org, accounts):
    survivor, other, somchai, *_rest = accounts
    api = api_client(org.owner)
    answer = api.post(f"/api/v1/accounts/{survivor.pk}/merge",
                      json.dumps({"others": [other.pk], "choices": {"phone": other.pk}}),
                      content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["phone"] == "+66 2 123 4567"
    bad = api.post(f"/api/v1/accounts/{survivor.pk}/merge",
                   json.dumps({"others": [other.pk], "choices": {"owner": other.pk}}),
                   content_type="application/json")
    assert bad.status_code in (404, 422)
    [merge] = api.get(f"/api/v1/accounts/{survivor.pk}/merges").json()
    assert merge["id"] == Event.objects.get(kind="merged").pk and merge["merged"] == [other.pk]
    answer = api.post(f"/api/v1/accounts/{survivor.pk}/merge/{merge['id']}/undo")
    assert answer.status_code == 200 and answer.json()["phone"] == ""
    assert Contact.objects.get(pk=somchai.pk).account_id == other.pk



def test_a_link_to_another_kind_with_a_merged_records_id_is_kept(org):
    """Ids of different kinds may be equal; only a link to a merged record of the same kind
    is refused (this failed on PostgreSQL, whose ids are not reset between tests)."""
    first = make_contact(org.owner, "Boonmee", email="a@siam.example")
    again = make_contact(org.owner, "Boonmee", email="b@siam.example")
    same_id = Account.objects.create(pk=again.pk, name="Siam", owner=org.owner,
                                     team=org.owner.team)
    Contact.objects.filter(pk=first.pk).update(account=same_id)
    first.refresh_from_db()
    contact_merge(survivor=first, others=[again], user=org.owner, choices={})
    first.refresh_from_db()
    assert first.account_id == same_id.pk == again.pk
    assert Contact.deleted_objects.get(pk=again.pk).merged_into_id == first.pk

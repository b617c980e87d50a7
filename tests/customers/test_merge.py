"""Merging duplicate contacts: per-field choices, consents, timeline, undo, access."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.core.services import record_update
from amity.customers.merge import contact_merge, contact_merge_undo
from amity.customers.models import Consent, Contact
from amity.customers.services import consent_record
from amity.events.models import Event
from amity.events.selectors import field_history
from amity.web.search import global_search
from tests.conftest import api_client, make_contact, signed_in

pytestmark = pytest.mark.django_db


def pair(org):
    survivor = make_contact(org.owner, "Boonmee", given_name="Somchai", email="s@example.com",
                            city="Bangkok")
    other = make_contact(org.owner, "Bunmee", given_name="Somchai", phone="+66 81 234 5678",
                         job_title="Buyer")
    record_update(record=other, user=org.owner, data={"city": "Chiang Mai"})
    consent = consent_record(contact=other, user=org.owner, channel="email", status="granted",
                             method="verbal")
    return survivor, other, consent


def search_names(user, query: str) -> list[str]:
    return [str(r) for group in global_search(user=user, query=query) for r in group["records"]]


def test_merge_takes_the_chosen_values_and_moves_consents(org):
    survivor, other, consent = pair(org)
    event = contact_merge(survivor=survivor, others=[other], user=org.owner,
                          choices={"family_name": survivor.pk, "phone": other.pk,
                                   "city": other.pk})
    survivor = Contact.objects.get(pk=survivor.pk)
    assert survivor.family_name == "Boonmee"
    assert survivor.phone == "+66 81 234 5678" and survivor.phone_e164 == "+66812345678"
    assert survivor.city == "Chiang Mai"
    assert survivor.job_title == "Buyer"  # empty on the survivor: taken from the other
    assert survivor.email == "s@example.com"
    assert not Contact.objects.filter(pk=other.pk).exists()
    gone = Contact.deleted_objects.get(pk=other.pk)
    assert gone.merged_into == survivor and gone.deleted_by == org.owner
    assert Consent.objects.get(pk=consent.pk).contact_id == survivor.pk
    assert event.kind == "merged" and event.payload["merged"] == [other.pk]
    assert event.payload["moved"]["consents"]["moved"] == {str(consent.pk): other.pk}
    assert event.payload["before"]["city"] == "Bangkok"
    assert event.payload["changes"]["city"] == {"old": "Bangkok", "new": "Chiang Mai"}
    assert Event.objects.for_subject(gone).filter(kind="merged_into").exists()
    assert "Bunmee" not in search_names(org.owner, "Bunmee")
    history = list(field_history(subject=survivor))
    assert history[0].kind == "merged" and "phone" in history[0].payload["changes"]


def test_merged_contact_is_gone_from_lists_api_and_search(org):
    survivor, other, _consent = pair(org)
    contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    api = api_client(org.owner)
    assert api.get(f"/api/v1/contacts/{other.pk}").status_code == 404
    ids = [r["id"] for r in api.get("/api/v1/contacts/").json()["results"]]
    assert ids == [survivor.pk]
    page = signed_in(org.owner).get("/contacts/")
    assert "Bunmee" not in page.text and "Boonmee" in page.text
    assert search_names(org.owner, "Bunmee") == []


def test_survivor_page_shows_the_merged_contacts_events(org):
    survivor, other, _consent = pair(org)
    contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    client = signed_in(org.owner)
    page = client.get(f"/contacts/{survivor.pk}/")
    kinds = [e.kind for e in page.context["timeline"].items]
    assert "merged" in kinds and "consent.granted" in kinds and "merged_into" in kinds
    assert kinds.count("created") == 2  # its own and the merged contact's
    assert client.get(f"/contacts/{survivor.pk}/timeline/").status_code == 200


def test_undo_restores_everything_once(org):
    survivor, other, consent = pair(org)
    before = {n: getattr(survivor, n) for n in ("family_name", "phone", "city", "job_title",
                                                 "phone_e164", "email")}
    event = contact_merge(survivor=survivor, others=[other], user=org.owner,
                          choices={"phone": other.pk, "city": other.pk})
    contact_merge_undo(event=event, user=org.owner)
    survivor = Contact.objects.get(pk=survivor.pk)
    assert {n: getattr(survivor, n) for n in before} == before
    back = Contact.objects.get(pk=other.pk)
    assert back.merged_into is None and back.deleted_by is None and back.city == "Chiang Mai"
    assert Consent.objects.get(pk=consent.pk).contact_id == other.pk
    assert field_history(subject=survivor)[0].kind == "merge_undone"
    with pytest.raises(ValidationError):
        contact_merge_undo(event=event, user=org.owner)


def test_undo_refused_when_a_merged_field_changed_since(org):
    survivor, other, _consent = pair(org)
    event = contact_merge(survivor=survivor, others=[other], user=org.owner,
                          choices={"city": other.pk})
    record_update(record=Contact.objects.get(pk=survivor.pk), user=org.owner,
                  data={"city": "Phuket"})
    with pytest.raises(ValidationError) as exc:
        contact_merge_undo(event=event, user=org.owner)
    assert "city" in exc.value.message_dict
    assert Contact.objects.get(pk=survivor.pk).city == "Phuket"
    assert not Contact.objects.filter(pk=other.pk).exists()


def test_merge_with_itself_or_twice_the_same_is_refused(org):
    survivor, other, _consent = pair(org)
    for others in ([survivor], [other, other], []):
        with pytest.raises(ValidationError):
            contact_merge(survivor=survivor, others=others, user=org.owner, choices={})
    with pytest.raises(ValidationError):
        contact_merge(survivor=survivor, others=[other], user=org.owner,
                      choices={"owner": other.pk})
    assert Contact.objects.filter(pk=other.pk).exists()


def test_merging_someone_elses_contact_is_refused(org):
    survivor, _other, _consent = pair(org)
    theirs = make_contact(org.outsider, "Boonmee", city="Hat Yai")
    with pytest.raises(PermissionDenied):
        contact_merge(survivor=survivor, others=[theirs], user=org.owner, choices={})
    client = signed_in(org.owner)
    assert client.get(f"/contacts/{survivor.pk}/merge/?with={theirs.pk}").status_code == 404
    assert client.post(f"/contacts/{survivor.pk}/merge/",
                       {"with": theirs.pk}).status_code == 404
    assert client.get(f"/contacts/{theirs.pk}/merge/").status_code == 404
    api = api_client(org.owner)
    answer = api.post(f"/api/v1/contacts/{survivor.pk}/merge",
                      json.dumps({"others": [theirs.pk]}), content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "others"
    answer = api.post(f"/api/v1/contacts/{theirs.pk}/merge",
                      json.dumps({"others": [survivor.pk]}), content_type="application/json")
    assert answer.status_code == 404
    assert Contact.objects.filter(pk__in=[theirs.pk, survivor.pk]).count() == 2
    assert not Event.objects.filter(kind="merged").exists()


def test_ui_flow(org):
    survivor, other, consent = pair(org)
    client = signed_in(org.owner)
    assert f"contacts/{survivor.pk}/merge/" in client.get(f"/contacts/{survivor.pk}/").text
    same_name = make_contact(org.owner, "Boonmee", given_name="Somchai")
    page = client.get(f"/contacts/{survivor.pk}/merge/")
    assert f"with={same_name.pk}" in page.text  # offered as a likely duplicate
    page = client.get(f"/contacts/{survivor.pk}/merge/?with={other.pk}")
    assert page.status_code == 200
    assert "+66 81 234 5678" in page.text and "Chiang Mai" in page.text and "Bangkok" in page.text
    answer = client.post(f"/contacts/{survivor.pk}/merge/",
                         {"with": other.pk, "version": survivor.version, "phone": other.pk,
                          "city": survivor.pk, "family_name": other.pk}, follow=True)
    assert answer.status_code == 200
    survivor = Contact.objects.get(pk=survivor.pk)
    assert (survivor.family_name, survivor.city) == ("Bunmee", "Bangkok")
    event = Event.objects.get(kind="merged")
    undo = f"/contacts/{survivor.pk}/merge/{event.pk}/undo/"
    assert undo in answer.text
    client.post(undo)
    assert Contact.objects.get(pk=survivor.pk).family_name == "Boonmee"
    assert Contact.objects.filter(pk=other.pk).exists()
    assert Consent.objects.get(pk=consent.pk).contact_id == other.pk
    assert undo not in client.get(f"/contacts/{survivor.pk}/").text


def test_ui_stale_version_is_refused(org):
    survivor, other, _consent = pair(org)
    client = signed_in(org.owner)
    answer = client.post(f"/contacts/{survivor.pk}/merge/",
                         {"with": other.pk, "version": survivor.version - 1})
    assert answer.status_code == 422
    assert Contact.objects.filter(pk=other.pk).exists()


def test_api_merge_and_undo(org):
    survivor, other, consent = pair(org)
    api = api_client(org.owner)
    answer = api.post(f"/api/v1/contacts/{survivor.pk}/merge",
                      json.dumps({"others": [other.pk], "choices": {"phone": other.pk}}),
                      content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["phone"] == "+66 81 234 5678"
    bad = api.post(f"/api/v1/contacts/{survivor.pk}/merge",
                   json.dumps({"others": [survivor.pk + 1000], "extra": 1}),
                   content_type="application/json")
    assert bad.status_code == 422
    merges = api.get(f"/api/v1/contacts/{survivor.pk}/merges").json()
    event = Event.objects.get(kind="merged")
    assert [(m["id"], m["merged"], m["actor"]) for m in merges] == \
        [(event.pk, [other.pk], org.owner.pk)]
    assert api_client(org.outsider).get(f"/api/v1/contacts/{survivor.pk}/merges") \
        .status_code == 404
    url = f"/api/v1/contacts/{survivor.pk}/merge/{merges[0]['id']}/undo"
    answer = api.post(url)
    assert answer.status_code == 200 and answer.json()["phone"] == ""
    assert api.get(f"/api/v1/contacts/{survivor.pk}/merges").json() == []
    assert Consent.objects.get(pk=consent.pk).contact_id == other.pk
    again = api.post(url)
    assert again.status_code == 422
    assert api.get(f"/api/v1/contacts/{other.pk}").status_code == 200


def test_api_choice_of_unknown_field_names_the_field(org):
    survivor, other, _consent = pair(org)
    answer = api_client(org.owner).post(
        f"/api/v1/contacts/{survivor.pk}/merge",
        json.dumps({"others": [other.pk], "choices": {"version": other.pk}}),
        content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "version", "message": answer.json()["errors"][0]
                                        ["message"]}]

"""The meeting participant pickers: the lookups find colleagues and contacts as one types
(any script, misspelt, only what the user may see), the form renders only those chosen,
and a meeting invites anyone the user may see, not only the record's own people."""

import re

from django.test import Client
from django.urls import reverse

from amity.activities.models import Task
from amity.org.models import User
from tests.activities.helpers import HTMX, make_opportunity
from tests.conftest import make_account, make_contact, make_user, signed_in


def values(html: str) -> list[str]:
    return re.findall(r'data-value="(\d+)"', html)


def test_the_colleague_lookup_finds_active_people_by_any_part_of_their_name(org):
    org.teammate.first_name, org.teammate.last_name = "สมชาย", "ใจดี"
    org.teammate.save()
    gone = make_user("somchai-left", "sales_rep", org.east, first_name="สมชาย", is_active=False)
    client = signed_in(org.owner)
    found = client.get(reverse("people_colleagues"), {"q": "ใจ"}).content.decode()
    assert values(found) == [str(org.teammate.pk)] and "สมชาย ใจดี" in found
    both = client.get(reverse("people_colleagues"), {"q": "สมชาย ดี"}).content.decode()
    assert str(gone.pk) not in values(both)  # not someone who has left
    everyone = values(client.get(reverse("people_colleagues")).content.decode())
    assert str(org.owner.pk) not in everyone and str(org.manager.pk) in everyone  # not oneself
    hostile = client.get(reverse("people_colleagues"), {"q": "<script>" * 50}).content.decode()
    assert values(hostile) == [] and "<script>" not in hostile
    assert signed_in(org.owner).get(reverse("people_colleagues") + "?q=%00'--").status_code == 200
    assert Client().get(reverse("people_colleagues")).status_code == 302  # sign in first
    for lookup in ("people_colleagues", "people_contacts"):  # nor those who add no activity
        assert signed_in(org.viewer).get(reverse(lookup)).status_code == 403


def test_the_colleague_lookup_shows_ten_at_a_time_of_many(org):
    User.objects.bulk_create([User(username=f"rep{i:03}", email=f"rep{i}@example.com",
                                   first_name="Rep", last_name=str(i)) for i in range(40)])
    found = signed_in(org.owner).get(reverse("people_colleagues"), {"q": "rep"}).content.decode()
    assert len(values(found)) == 10


def test_the_contact_lookup_searches_every_visible_contact_in_any_script(org):
    account = make_account(org.owner)
    own = make_contact(org.owner, "Boonmee", given_name="Somsak", account=account)
    elsewhere = make_contact(org.owner, "王", given_name="小明")
    persian = make_contact(org.teammate, "رضایی", given_name="مریم")
    hidden = make_contact(org.outsider, "Boonmark")
    client = signed_in(org.owner)
    lookup = reverse("people_contacts")
    assert values(client.get(lookup, {"q": "王小明"}).content.decode()) == [str(elsewhere.pk)]
    assert values(client.get(lookup, {"q": "رضایی"}).content.decode()) == [str(persian.pk)]
    misspelt = values(client.get(lookup, {"q": "Bonmee"}).content.decode())
    assert str(own.pk) in misspelt and str(hidden.pk) not in misspelt
    assert values(client.get(lookup, {"q": "Boonmark"}).content.decode()) == []
    assert values(client.get(lookup).content.decode()) == []  # nothing typed, no record
    assert values(client.get(lookup, {"q": "\x00' OR 1=1 --"}).content.decode()) == []


def test_before_typing_the_contact_lookup_offers_the_records_own_people(org):
    account = make_account(org.owner)
    first = make_contact(org.owner, "Boonmee", account=account)
    second = make_contact(org.owner, "Srisuk", account=account)
    make_contact(org.owner, "Elsewhere")
    deal = make_opportunity(org.owner, account=account)
    client = signed_in(org.owner)

    def offered(kind, pk):
        return values(client.get(reverse("people_contacts_about", args=[kind, pk])).content
                      .decode())

    assert offered("accounts", account.pk) == [str(first.pk), str(second.pk)]
    assert offered("contacts", first.pk) == [str(first.pk), str(second.pk)]
    assert offered("opportunities", deal.pk) == [str(first.pk), str(second.pk)]
    others = make_account(org.outsider, "West Co")
    assert client.get(reverse("people_contacts_about", args=["accounts", others.pk])
                      ).status_code == 404  # another team's account says nothing
    assert client.get(reverse("people_contacts_about", args=["user", org.owner.pk])
                      ).status_code == 404


def test_a_meeting_from_an_account_page_invites_a_contact_of_another_account(org):
    account = make_account(org.owner)
    partner = make_contact(org.owner, "Partner", account=make_account(org.owner, "Other Co"))
    hidden = make_contact(org.outsider, "Hidden")
    client = signed_in(org.owner)
    url = reverse("activity_about_add", args=["accounts", account.pk])
    meeting = {"type": "meeting", "title": "Joint call", "due_at": "2026-12-24T09:00",
               "participants": [org.teammate.pk]}
    refused = client.post(url, {**meeting, "participant_contacts": [partner.pk, hidden.pk]},
                          **HTMX)
    form = refused.content.decode()
    assert refused.status_code == 422 and 'data-field="participant_contacts"' in form
    assert not Task.objects.exists()
    # The form comes back with the choices kept, and only those: not every colleague.
    chosen = re.findall(r"<option [^>]*selected>([^<]*)</option>", form)
    assert sorted(chosen) == ["Partner", "teammate"] and "manager" not in form
    assert client.post(url, {**meeting, "participant_contacts": [partner.pk]},
                       **HTMX).status_code == 200
    task = Task.objects.get()
    assert list(task.participant_contacts.all()) == [partner]
    assert list(task.participants.all()) == [org.teammate]

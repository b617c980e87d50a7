"""The duplicate review queue: the finder fills it, people see only pairs of contacts
they see, dismiss pairs they may edit, and follow a pair to the merge page."""

import pytest
from django_tasks_db.models import DBTaskResult

from amity.customers.duplicate_pairs import DuplicatePair, PairKind, PairStatus
from amity.customers.duplicates import duplicates_refresh, open_duplicate_pairs
from amity.customers.merge import contact_merge, contact_merge_undo
from amity.customers.tasks import find_duplicates
from amity.web.navigation import areas_for
from tests.conftest import make_account, make_contact, signed_in

URL = "/contacts/duplicates/"


@pytest.fixture
def planted(org):
    """The same person entered twice by the owner (email in capitals, phone written another
    way), and someone else at the same company."""
    account = make_account(org.owner, "Siam Fresh Foods", country="TH")
    first = make_contact(org.owner, "ศรีสุข", given_name="สมศรี", email="somsri@mail.example",
                         phone="081 234 5678", country="TH", account=account)
    again = make_contact(org.owner, "ศรีสุข", given_name="สมศร", email="SOMSRI@mail.example",
                         phone="+66 81 234 5678", country="TH", account=account)
    other = make_contact(org.owner, "Smith", given_name="John", email="john@other.example",
                         phone="+1 212-555-0100", country="US", account=account)
    return first, again, other


def pair_of(first, again, probability=0.99) -> DuplicatePair:
    return DuplicatePair.objects.create(left=first, right=again, probability=probability)


def test_refresh_finds_the_planted_pair_and_not_distinct_people(org, planted):
    first, again, _other = planted
    assert duplicates_refresh(user=org.owner) == 1
    pair = DuplicatePair.objects.get()
    assert (pair.left_id, pair.right_id) == (first.pk, again.pk)
    assert pair.status == PairStatus.OPEN
    assert 0.9 <= pair.probability <= 1
    # Running it again keeps one pair.
    assert find_duplicates.call(org.owner.pk) == 1
    assert DuplicatePair.objects.count() == 1


def test_page_lists_the_pair_for_who_sees_both_and_hides_it_from_an_outsider(org, planted):
    first, again, _other = planted
    pair = pair_of(first, again, 0.987)
    page = signed_in(org.owner).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "98.7%" in html
    assert "somsri@mail.example" in html and "081 234 5678" in html
    assert f"/contacts/{first.pk}/merge/?with={again.pk}" in html
    assert f"/contacts/duplicates/{pair.pk}/dismiss/" in html
    outsider = signed_in(org.outsider).get(URL)
    assert outsider.status_code == 200
    assert "somsri" not in outsider.content.decode()
    assert list(open_duplicate_pairs(org.outsider)) == []


def test_login_required(client):
    assert client.get(URL).status_code == 302


def test_dismissed_pair_is_hidden_and_not_reopened(org, planted):
    first, again, _other = planted
    pair = pair_of(first, again)
    response = signed_in(org.owner).post(f"/contacts/duplicates/{pair.pk}/dismiss/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISMISSED and pair.decided_by == org.owner
    assert pair.decided_at is not None
    assert "somsri" not in signed_in(org.owner).get(URL).content.decode()
    assert duplicates_refresh(user=org.owner) == 0
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISMISSED
    assert DuplicatePair.objects.count() == 1


def test_a_pair_marked_not_a_duplicate_by_mistake_is_taken_back(org, planted):
    first, again, _other = planted
    pair = pair_of(first, again)
    owner = signed_in(org.owner)
    owner.post(f"/contacts/duplicates/{pair.pk}/dismiss/")
    html = owner.get(f"{URL}?dismissed=1").content.decode()
    assert "somsri@mail.example" in html and "Marked by owner" in html
    # Who may not edit both records sees the decision but cannot take it back.
    for user in (org.viewer, org.outsider):
        assert signed_in(user).post(f"/contacts/duplicates/{pair.pk}/reopen/").status_code \
            == 404
    assert f"/contacts/duplicates/{pair.pk}/reopen/" not in \
        signed_in(org.viewer).get(f"{URL}?dismissed=1").content.decode()
    assert "somsri" not in signed_in(org.outsider).get(f"{URL}?dismissed=1").content.decode()
    response = owner.post(f"/contacts/duplicates/{pair.pk}/reopen/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.decided_at) == (PairStatus.OPEN, None, None)
    assert f"with={again.pk}" in owner.get(URL).content.decode()
    assert "somsri" not in owner.get(f"{URL}?dismissed=1").content.decode()


def test_a_merge_decides_its_pairs_and_its_undo_puts_them_back(org, planted):
    first, again, other = planted
    pair = pair_of(first, again)
    to_other = pair_of(first, other, 0.95)
    event = contact_merge(survivor=first, others=[again], user=org.owner, choices={})
    pair.refresh_from_db()
    to_other.refresh_from_db()
    assert (pair.status, pair.decided_by) == (PairStatus.MERGED, org.owner)
    assert to_other.status == PairStatus.OPEN  # not part of the merge
    duplicates_refresh(user=org.owner)  # a refresh leaves a decided pair alone
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED
    contact_merge_undo(event=event, user=org.owner)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (PairStatus.OPEN, None)
    assert f"with={again.pk}" in signed_in(org.owner).get(URL).content.decode()


def test_review_and_merge_link_opens_the_merge_page(org, planted):
    first, again, _other = planted
    pair_of(first, again)
    response = signed_in(org.owner).get(f"/contacts/{first.pk}/merge/?with={again.pk}")
    assert response.status_code == 200


def test_who_cannot_edit_both_contacts_cannot_dismiss(org, planted):
    """404: the pair does not exist for them."""
    first, again, _other = planted
    pair = pair_of(first, again)
    for user in (org.outsider, org.viewer):
        response = signed_in(user).post(f"/contacts/duplicates/{pair.pk}/dismiss/")
        assert response.status_code == 404
    # The read-only viewer sees the pair but gets no buttons.
    html = signed_in(org.viewer).get(URL).content.decode()
    assert "somsri@mail.example" in html
    assert f"/contacts/duplicates/{pair.pk}/dismiss/" not in html
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN


def test_pairs_with_a_merged_away_contact_are_not_shown(org, planted):
    first, again, other = planted
    pair_of(first, again)
    pair_of(first, other, 0.95)
    contact_merge(survivor=first, others=[again], user=org.owner, choices={})
    assert [(p.left_id, p.right_id) for p in open_duplicate_pairs(org.owner)] == [
        (first.pk, other.pk)]
    html = signed_in(org.owner).get(URL).content.decode()
    assert f"with={again.pk}" not in html and f"with={other.pk}" in html


def test_find_now_queues_the_task(org):
    response = signed_in(org.owner).post(f"{URL}find/", follow=True)
    assert response.status_code == 200
    assert "queued" in response.content.decode()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [org.owner.pk]


def test_navigation_offers_duplicates_in_sales(org):
    sales = next(a for a in areas_for(org.owner) if a["key"] == "sales")
    assert URL in [item["url"] for item in sales["items"]]
    partner_sales = next(a for a in areas_for(org.partner) if a["key"] == "sales")
    assert (URL in [item["url"] for item in partner_sales["items"]]) == any(
        item["url"] == "/contacts/" for item in partner_sales["items"])


@pytest.fixture
def twin_accounts(org):
    first = make_account(org.owner, "Siam Fresh Foods Co., Ltd.",
                         website="https://www.siamfresh.example", city="Bangkok", country="TH")
    again = make_account(org.owner, "Siam Fresh Foods", website="http://siamfresh.example/th",
                         phone="02 123 4567", city="Bangkok", country="TH")
    make_account(org.owner, "Siam Cement", website="https://scg.example", city="Bangkok",
                 country="TH")
    return first, again


def test_account_pairs_are_found_listed_and_merged_from_the_queue(org, planted, twin_accounts):
    first, again = twin_accounts
    siam = planted[0].account  # a third entry of Siam Fresh Foods
    assert duplicates_refresh(user=org.owner) == 4  # one contact pair, three account pairs
    assert set(DuplicatePair.objects.filter(kind=PairKind.ACCOUNT).values_list(
        "left_account", "right_account")) == {(siam.pk, first.pk), (siam.pk, again.pk),
                                              (first.pk, again.pk)}
    assert not DuplicatePair.objects.filter(left_account__name="Siam Cement").exists()
    pair = DuplicatePair.objects.get(left_account=first, right_account=again)
    client = signed_in(org.owner)
    html = client.get(URL).content.decode()
    assert "Accounts" in html and "Contacts" in html  # the kind column
    assert "siamfresh.example" in html
    assert f"/accounts/{first.pk}/merge/?with={again.pk}" in html
    assert client.get(pair.merge_url).status_code == 200
    client.post(f"/accounts/{first.pk}/merge/", {"with": again.pk, "version": first.version})
    assert pair.merge_url not in client.get(URL).content.decode()
    # An outsider neither sees nor dismisses it.
    assert "siamfresh" not in signed_in(org.outsider).get(URL).content.decode()


def test_outsider_cannot_dismiss_an_account_pair(org, twin_accounts):
    first, again = twin_accounts
    pair = DuplicatePair.objects.create(kind=PairKind.ACCOUNT, left_account=first,
                                        right_account=again, probability=0.99)
    for user in (org.outsider, org.viewer):
        assert signed_in(user).post(
            f"/contacts/duplicates/{pair.pk}/dismiss/").status_code == 404
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN
    signed_in(org.owner).post(f"/contacts/duplicates/{pair.pk}/dismiss/")
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISMISSED


def test_pairs_no_longer_found_are_closed_and_reopen_when_found_again(org, planted):
    first, again, other = planted
    stale = pair_of(first, other, 0.95)  # the finder does not think so
    duplicates_refresh(user=org.owner)
    stale.refresh_from_db()
    assert stale.status == PairStatus.GONE
    assert [(p.left_id, p.right_id) for p in open_duplicate_pairs(org.owner)] == [
        (first.pk, again.pk)]
    # The outsider's refresh does not touch pairs outside what they see.
    theirs = pair_of(make_contact(org.outsider, "A"), make_contact(org.outsider, "B"))
    duplicates_refresh(user=org.owner)
    theirs.refresh_from_db()
    assert theirs.status == PairStatus.OPEN
    # Found again: open again.
    gone = DuplicatePair.objects.get(left=first, right=again)
    gone.status = PairStatus.GONE
    gone.save()
    duplicates_refresh(user=org.owner)
    gone.refresh_from_db()
    assert gone.status == PairStatus.OPEN


def test_queue_pages_past_two_hundred_pairs(org):
    contacts = [make_contact(org.owner, f"Person {i}") for i in range(32)]
    DuplicatePair.objects.bulk_create(
        DuplicatePair(left=a, right=b, probability=0.9 + (a.pk * 31 + b.pk) % 97 / 1000)
        for i, a in enumerate(contacts) for b in contacts[i + 1:i + 16] if len(contacts) > i)
    total = DuplicatePair.objects.count()
    assert total > 250
    client = signed_in(org.owner)
    seen, url = [], URL
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += [pair.pk for pair, _can in page.context["rows"]]
        cursor = page.context["page"].next_cursor
        url = f"{URL}?after={cursor}" if cursor else None
    assert len(seen) == len(set(seen)) == total
    probabilities = list(DuplicatePair.objects.filter(pk__in=seen).order_by(
        "-probability", "-id").values_list("pk", flat=True))
    assert seen == probabilities
    assert client.get(f"{URL}?after=not-a-cursor").status_code == 200

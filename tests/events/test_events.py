"""The event stream: one publish(), append-only, timelines newest first by keyset."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from amity.core.services import record_assign, record_update
from amity.events.models import AppendOnly, Event
from amity.events.selectors import timeline
from amity.events.services import publish
from tests.conftest import make_account, signed_in


def test_creating_and_changing_records_publishes_events(org):
    account = make_account(org.owner, "Evented")
    record_update(record=account, user=org.teammate, data={"city": "Bangkok"})
    record_assign(record=account, user=org.manager, owner=org.outsider)
    events = list(Event.objects.for_subject(account).order_by("id"))
    assert [e.kind for e in events] == ["created", "updated", "assigned"]
    assert [e.actor for e in events] == [org.owner, org.teammate, org.manager]
    assert events[1].payload["changes"] == {"city": {"old": None, "new": "Bangkok"}}
    assert events[2].payload["changes"]["owner"] == {"old": "owner", "new": "outsider"}


def test_an_unchanged_save_publishes_nothing(org):
    account = make_account(org.owner, "Same")
    record_update(record=account, user=org.owner, data={"name": "Same"})
    assert Event.objects.for_subject(account).count() == 1


def test_events_cannot_be_changed_or_deleted(org):
    event = publish(subject=make_account(org.owner), kind="called", actor=org.owner)
    event.kind = "emailed"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(AppendOnly):
        Event.objects.all().delete()
    assert Event.objects.get(pk=event.pk).kind == "called"


def test_timeline_pages_newest_first_without_gaps(org):
    account = make_account(org.owner)
    start = timezone.now() - dt.timedelta(days=30)
    for i in range(45):
        # Several events share a moment: the keyset must still order them totally.
        publish(subject=account, kind=f"visit-{i}", occurred_at=start + dt.timedelta(hours=i // 3))
    seen, after = [], None
    while True:
        page = timeline(subject=account, after=after, size=10)
        seen += [e.kind for e in page.items]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen[0] == "created"  # created just now: the newest
    visits = seen[1:]
    assert sorted(visits, key=lambda k: int(k.split("-")[1])) == list(reversed(visits))
    assert len(visits) == len(set(visits)) == 45


def test_timeline_in_the_ui_loads_older_pages(org):
    account = make_account(org.owner)
    for i in range(30):
        publish(subject=account, kind=f"visit-{i}")
    client = signed_in(org.owner)
    first = client.get(reverse("account_detail", args=[account.pk]))
    cursor = first.context["timeline"].next_cursor
    assert cursor
    older = client.get(reverse("account_timeline", args=[account.pk]), {"after": cursor},
                       headers={"HX-Request": "true"}).content.decode()
    assert "visit-0" in older and "<html" not in older
    bad = client.get(reverse("account_timeline", args=[account.pk]), {"after": "garbage!"})
    assert bad.status_code == 404


def test_events_of_other_subjects_stay_out(org):
    one, two = make_account(org.owner, "One"), make_account(org.owner, "Two")
    publish(subject=two, kind="secret")
    assert "secret" not in [e.kind for e in timeline(subject=one).items]


def test_subscribers_see_each_published_event_and_roll_back_with_it(org):
    from django.db import transaction

    from amity.events import services

    seen = []
    services.subscribe(seen.append)
    try:
        account = make_account(org.owner, "Watched")
        with pytest.raises(RuntimeError), transaction.atomic():
            record_update(record=account, user=org.owner, data={"city": "Tehran"})
            raise RuntimeError("the change is abandoned")
    finally:
        services._subscribers.remove(seen.append)
    assert [e.kind for e in seen] == ["created", "updated"]
    assert list(Event.objects.for_subject(account).values_list("kind", flat=True)) == ["created"]


def test_a_batch_publishes_in_one_insert_and_each_event_reaches_the_subscribers(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amity.events import services

    accounts = [make_account(org.owner, name) for name in ("หนึ่ง", "دو", "三")]
    seen = []
    services.subscribe(seen.append)
    try:
        with CaptureQueriesContext(connection) as queries:
            made = services.publish_many(((a, {"n": i}) for i, a in enumerate(accounts)),
                                         kind="account.rated", actor=org.owner)
    finally:
        services._subscribers.remove(seen.append)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert seen == made and all(event.pk for event in seen)  # subscribers get saved events
    stored = Event.objects.filter(kind="account.rated").order_by("pk")
    assert [(e.subject_id, e.payload["n"], e.actor) for e in stored] == [
        (a.pk, i, org.owner) for i, a in enumerate(accounts)]
    assert services.publish_many([], kind="account.rated") == []

"""The iCalendar feed: a secret, revocable, read-only link per user that a calendar client
reads; one user's link never shows another user's activities."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from amity.activities.feeds import feed_create
from amity.activities.models import CalendarFeed
from amity.activities.services import activity_create, activity_mark_done
from tests.conftest import signed_in


def read_feed(token: str) -> Calendar:
    response = Client().get(reverse("activity_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def by_summary(calendar: Calendar) -> dict:
    return {str(c.get("summary")): c for c in calendar.walk() if c.name in ("VEVENT", "VTODO")}


def test_a_calendar_client_reads_meetings_calls_and_tasks(org):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    activity_create(user=org.owner, data={"type": "meeting", "title": "会议 · 季度回顾 🗓",
                                          "due_at": start, "duration_minutes": 45,
                                          "notes": "Line one\nLine two; with, commas"})
    call = activity_create(user=org.owner, data={"type": "call", "title": "โทรหาคุณสมชาย",
                                                 "due_at": start - dt.timedelta(days=2)})
    activity_mark_done(task=call, user=org.owner)
    activity_create(user=org.owner, data={"title": "Send the contract",
                                          "due_at": start + dt.timedelta(days=1)})
    invited = activity_create(user=org.teammate, data={"type": "meeting", "title": "Demo",
                                                       "due_at": start,
                                                       "participants": [org.owner]})
    items = by_summary(read_feed(feed_create(user=org.owner)))
    meeting = items["会议 · 季度回顾 🗓"]
    assert meeting.name == "VEVENT"
    assert meeting.decoded("dtstart") == start
    assert meeting.decoded("dtend") - meeting.decoded("dtstart") == dt.timedelta(minutes=45)
    assert str(meeting.get("description")) == "Line one\nLine two; with, commas"
    assert items["โทรหาคุณสมชาย"].name == "VEVENT"
    todo = items["Send the contract"]
    assert todo.name == "VTODO" and str(todo.get("status")) == "NEEDS-ACTION"
    assert todo.decoded("due") == start + dt.timedelta(days=1)
    assert invited.title in items  # meetings the user attends are in their feed
    assert len({str(c.get("uid")) for c in items.values()}) == len(items)


def test_another_users_token_does_not_give_my_activities(org):
    activity_create(user=org.owner, data={"type": "meeting", "title": "Owner's private meeting",
                                          "due_at": timezone.now() + dt.timedelta(days=1)})
    activity_create(user=org.outsider, data={"title": "Outsider task",
                                             "due_at": timezone.now() + dt.timedelta(days=1)})
    outsiders = by_summary(read_feed(feed_create(user=org.outsider)))
    assert "Outsider task" in outsiders and "Owner's private meeting" not in outsiders
    # The teammate may see the owner's activities in the app, but the feed is their own.
    teammates = by_summary(read_feed(feed_create(user=org.teammate)))
    assert "Owner's private meeting" not in teammates


def test_the_link_is_shown_once_and_revoking_ends_it(org):
    client = signed_in(org.owner)
    page = client.get(reverse("activity_feed_settings")).content.decode()
    assert "Make a feed link" in page
    made = client.post(reverse("activity_feed_new"), follow=True).content.decode()
    url = made.split('class="feed-url" type="text" readonly value="')[1].split('"')[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert Client().get(url.split("testserver", 1)[1]).status_code == 200
    again = client.get(reverse("activity_feed_settings")).content.decode()
    assert token not in again  # not shown a second time (only its hash is kept)
    assert token not in CalendarFeed.objects.get().token_hash
    client.post(reverse("activity_feed_revoke"))
    assert Client().get(reverse("activity_feed", args=[token])).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_new_link_ends_the_old_one_and_bad_tokens_are_not_found(org):
    old = feed_create(user=org.owner)
    new = feed_create(user=org.owner)
    assert Client().get(reverse("activity_feed", args=[old])).status_code == 404
    assert Client().get(reverse("activity_feed", args=[new])).status_code == 200
    for bad in ("x", "a" * 500, "' OR 1=1 --", "ทดสอบ"):
        assert Client().get(reverse("activity_feed", args=[bad])).status_code == 404
    org.owner.is_active = False
    org.owner.save()
    assert Client().get(reverse("activity_feed", args=[new])).status_code == 404


def test_the_feed_is_read_only(org):
    token = feed_create(user=org.owner)
    response = Client().post(reverse("activity_feed", args=[token]))
    assert response.status_code == 405

"""Repeating tasks: completing an occurrence creates the next one, once; month ends,
29 February, weekdays, the end of a series, and daylight-saving changes in the owner's
time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amity.activities.models import Task
from amity.activities.recurrence import Recurrence, occurrence_at, parse_rule
from amity.activities.services import activity_create, activity_mark_done
from tests.activities.helpers import HTMX
from tests.conftest import api_client, make_account, signed_in

UTC = dt.UTC


def slots(rule: str, start: dt.datetime, n: int, zone: str = "UTC") -> list:
    return [occurrence_at(rule, start=start, index=i, time_zone=zone) for i in range(n)]


def test_monthly_from_the_31st_falls_on_the_last_day_of_shorter_months():
    start = dt.datetime(2027, 1, 31, 9, tzinfo=UTC)
    days = [d.date() for d in slots("FREQ=MONTHLY", start, 5)]
    assert days == [dt.date(2027, 1, 31), dt.date(2027, 2, 28), dt.date(2027, 3, 31),
                    dt.date(2027, 4, 30), dt.date(2027, 5, 31)]


def test_monthly_from_the_30th_in_a_leap_year():
    start = dt.datetime(2028, 1, 30, 9, tzinfo=UTC)
    days = [d.date() for d in slots("FREQ=MONTHLY", start, 3)]
    assert days == [dt.date(2028, 1, 30), dt.date(2028, 2, 29), dt.date(2028, 3, 30)]


def test_yearly_from_29_february():
    start = dt.datetime(2028, 2, 29, 9, tzinfo=UTC)
    days = [d.date() for d in slots("FREQ=YEARLY", start, 5)]
    assert days == [dt.date(2028, 2, 29), dt.date(2029, 2, 28), dt.date(2030, 2, 28),
                    dt.date(2031, 2, 28), dt.date(2032, 2, 29)]


def test_weekly_on_weekdays_every_second_week():
    start = dt.datetime(2026, 12, 7, 9, tzinfo=UTC)  # a Monday
    days = [d.date() for d in slots("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", start, 4)]
    assert days == [dt.date(2026, 12, 7), dt.date(2026, 12, 10), dt.date(2026, 12, 21),
                    dt.date(2026, 12, 24)]


def test_count_and_until_end_the_series():
    start = dt.datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert slots("FREQ=DAILY;COUNT=2", start, 3)[2] is None
    assert slots("FREQ=DAILY;UNTIL=20261202", start, 3)[1].date() == dt.date(2026, 12, 2)
    assert slots("FREQ=DAILY;UNTIL=20261202", start, 3)[2] is None


def test_nine_oclock_stays_nine_oclock_across_daylight_saving():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime(2027, 3, 27, 9, tzinfo=berlin)  # the day before clocks go forward
    after = slots("FREQ=DAILY", start, 2, "Europe/Berlin")[1]
    assert after.astimezone(berlin).hour == 9
    assert after - start == dt.timedelta(hours=23)  # 09:00 to 09:00 across the change
    autumn = dt.datetime(2027, 10, 30, 9, tzinfo=berlin)
    assert slots("FREQ=DAILY", autumn, 2, "Europe/Berlin")[1].astimezone(berlin).hour == 9


@pytest.mark.parametrize(("rule", "field"), [
    (Recurrence("hourly"), "freq"), (Recurrence("daily", interval=0), "interval"),
    (Recurrence("daily", weekdays=("MO",)), "weekdays"),
    (Recurrence("weekly", weekdays=("XX",)), "weekdays"),
    (Recurrence("daily", count=10**6), "count"),
    (Recurrence("daily", count=3, until=dt.date(2027, 1, 1)), "count"),
])
def test_bad_rules_name_the_field(rule, field):
    with pytest.raises(ValidationError) as refused:
        rule.clean()
    assert field in refused.value.message_dict


def test_rule_text_round_trips():
    rule = Recurrence("weekly", 2, ("MO", "FR"), until=dt.date(2027, 6, 30))
    assert parse_rule(rule.text()) == rule
    with pytest.raises(ValidationError):
        parse_rule("FREQ=DAILY;INTERVAL=abc")


def test_completing_an_occurrence_creates_the_next_once(org):
    account = make_account(org.owner)
    first = activity_create(user=org.owner, data={
        "title": "Weekly report", "account": account, "recurrence": "FREQ=WEEKLY",
        "due_at": dt.datetime(2026, 12, 7, 9, tzinfo=UTC),
        "remind_at": dt.datetime(2026, 12, 7, 8, tzinfo=UTC)})
    activity_mark_done(task=first, user=org.owner)
    activity_mark_done(task=first, user=org.owner)
    second = Task.objects.get(occurrence=1)
    assert Task.objects.count() == 2
    assert second.due_at == dt.datetime(2026, 12, 14, 9, tzinfo=UTC)
    assert second.remind_at == dt.datetime(2026, 12, 14, 8, tzinfo=UTC)
    assert second.account == account and second.owner == org.owner and second.done_at is None
    # Reopened and completed again: still one next occurrence.
    client = signed_in(org.owner)
    from amity.activities.services import activity_reopen
    activity_reopen(task=Task.objects.get(pk=first.pk), user=org.owner)
    client.post(reverse("task_done", args=[first.pk]), **HTMX)
    assert Task.objects.filter(occurrence=1).count() == 1
    client.post(reverse("task_done", args=[second.pk]), **HTMX)
    assert Task.objects.get(occurrence=2).due_at == dt.datetime(2026, 12, 21, 9, tzinfo=UTC)


def test_a_series_stops_after_its_count(org):
    task = activity_create(user=org.owner, data={
        "title": "Twice", "recurrence": "FREQ=DAILY;COUNT=2",
        "due_at": dt.datetime(2026, 12, 1, 9, tzinfo=UTC)})
    activity_mark_done(task=task, user=org.owner)
    activity_mark_done(task=Task.objects.get(occurrence=1), user=org.owner)
    assert Task.objects.count() == 2


def test_the_series_follows_the_owners_time_zone(org):
    org.owner.time_zone = "America/New_York"
    org.owner.save()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    task = activity_create(user=org.owner, data={
        "title": "Stand-up", "recurrence": "FREQ=DAILY",
        "due_at": dt.datetime(2027, 3, 13, 9, tzinfo=new_york)})  # clocks change on the 14th
    activity_mark_done(task=task, user=org.owner)
    following = Task.objects.get(occurrence=1)
    assert following.due_at.astimezone(new_york).hour == 9


def test_only_dated_tasks_repeat(org):
    with pytest.raises(ValidationError) as undated:
        activity_create(user=org.owner, data={"title": "x", "recurrence": "FREQ=DAILY"})
    assert "recurrence" in undated.value.message_dict
    with pytest.raises(ValidationError) as call:
        activity_create(user=org.owner, data={
            "title": "x", "type": "call", "recurrence": "FREQ=DAILY",
            "due_at": dt.datetime(2026, 12, 1, tzinfo=UTC)})
    assert "recurrence" in call.value.message_dict


def test_repeat_from_the_panel_and_the_api(org):
    account = make_account(org.owner)
    response = signed_in(org.owner).post(
        reverse("activity_about_add", args=["accounts", account.pk]),
        {"type": "task", "title": "Monthly check", "due_at": "2027-01-31T09:00",
         "repeat": "monthly", "repeat_interval": "1", "repeat_count": "12"}, **HTMX)
    assert response.status_code == 200 and "Every 1 month(s)" in response.content.decode()
    assert Task.objects.get().recurrence == "FREQ=MONTHLY;COUNT=12"
    bad = signed_in(org.owner).post(
        reverse("activity_about_add", args=["accounts", account.pk]),
        {"type": "task", "title": "x", "due_at": "2027-01-31T09:00", "repeat": "daily",
         "repeat_weekdays": ["MO"]}, **HTMX)
    assert bad.status_code == 422 and 'data-field="repeat_weekdays"' in bad.content.decode()
    api = api_client(org.owner)
    created = api.post("/api/v1/activities/", {
        "title": "API weekly", "due_at": "2026-12-07T09:00:00Z",
        "recurrence": {"freq": "weekly", "weekdays": ["MO", "WE"], "count": 4}},
        content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["recurrence"] == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"
    done = api.post(f"/api/v1/activities/{created.json()['id']}/done")
    assert done.status_code == 200
    assert Task.objects.get(title="API weekly", occurrence=1).due_at.date() == \
        dt.date(2026, 12, 9)
    refused = api.post("/api/v1/activities/", {
        "title": "x", "due_at": "2026-12-07T09:00:00Z",
        "recurrence": {"freq": "daily", "count": 2, "until": "2027-01-01"}},
        content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "recurrence.count"

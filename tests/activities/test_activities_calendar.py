"""The personal agenda and the calendar: the user's activities by their time zone, the
month grid of the Persian and Thai Buddhist calendars, moving between months with HTMX,
and the week view."""

import datetime as dt
import re
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from amity.activities.services import activity_create, activity_mark_done
from tests.activities.helpers import HTMX
from tests.conftest import signed_in

UTC = dt.UTC


def set_user(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()


def cell(html: str, date: str) -> str:
    return re.search(rf'data-date="{date}">(.*?)</td>', html, re.S).group(1)


def test_the_agenda_sorts_overdue_today_and_the_next_days(org):
    now = timezone.now()
    activity_create(user=org.owner, data={"title": "Late report",
                                          "due_at": now - dt.timedelta(days=3)})
    activity_create(user=org.owner, data={"type": "call", "title": "Call Somchai",
                                          "due_at": now + dt.timedelta(days=2)})
    activity_create(user=org.owner, data={"title": "Far away",
                                          "due_at": now + dt.timedelta(days=30)})
    done = activity_create(user=org.owner, data={"title": "Finished",
                                                 "due_at": now - dt.timedelta(days=1)})
    activity_mark_done(task=done, user=org.owner)
    meeting = activity_create(user=org.teammate, data={
        "type": "meeting", "title": "Team meeting", "due_at": now + dt.timedelta(days=1),
        "participants": [org.owner]})
    activity_create(user=org.outsider, data={"title": "West work",
                                             "due_at": now + dt.timedelta(days=1)})
    html = signed_in(org.owner).get(reverse("activity_agenda")).content.decode()
    overdue = html.split('id="agenda-overdue"')[1].split("</section>")[0]
    coming = html.split('id="agenda-next"')[1].split("</section>")[0]
    assert "Late report" in overdue and "Finished" not in html
    assert "Call Somchai" in coming and meeting.title in coming  # attended meetings too
    assert "Far away" not in html and "West work" not in html


def test_today_is_the_users_day_not_utc(org):
    set_user(org.owner, time_zone="Asia/Bangkok")
    bangkok = zoneinfo.ZoneInfo("Asia/Bangkok")
    # 23:30 tonight in Bangkok is still "today" there, whatever UTC's date is.
    tonight = timezone.now().astimezone(bangkok).replace(hour=23, minute=30)
    activity_create(user=org.owner, data={"title": "Late call prep", "due_at": tonight})
    html = signed_in(org.owner).get(reverse("activity_agenda")).content.decode()
    today = html.split('id="agenda-today"')[1].split("</section>")[0]
    assert "Late call prep" in today


def test_persian_month_grid_and_htmx_navigation(org):
    set_user(org.owner, calendar="persian", language="fa", time_zone="Asia/Tehran")
    # 1 Farvardin 1406 is 21 March 2027.
    activity_create(user=org.owner, data={
        "type": "meeting", "title": "جلسه نوروزی",
        "due_at": dt.datetime(2027, 3, 21, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Tehran"))})
    client = signed_in(org.owner)
    html = client.get(reverse("activity_calendar"), {"month": "1406-01"}).content.decode()
    assert "فروردین ۱۴۰۶" in html
    first = cell(html, "2027-03-21")
    assert "۱" in first and "جلسه نوروزی" in first and "۱۰:۰۰" in first
    assert 'data-date="2027-04-20"' in html  # 31 Farvardin
    assert "شنبه" in html.split("<thead>")[1].split("</th>")[0]  # weeks start on Saturday
    following = client.get(reverse("activity_calendar"), {"month": "1406-02"}, **HTMX)
    part = following.content.decode()
    assert "<html" not in part and part.lstrip().startswith('<section class="calendar"')
    assert "اردیبهشت ۱۴۰۶" in part and "جلسه نوروزی" not in part
    assert 'hx-get="/activities/calendar/?month=1406-01"' in part
    esfand = client.get(reverse("activity_calendar"), {"month": "1405-12"}).content.decode()
    assert 'data-date="2027-03-20"' in esfand  # Esfand 1405 ends on 20 March 2027


def test_thai_buddhist_month_grid(org):
    set_user(org.owner, calendar="buddhist", language="th", time_zone="Asia/Bangkok")
    activity_create(user=org.owner, data={
        "title": "ส่งรายงาน", "due_at": dt.datetime(2027, 2, 28, 9, tzinfo=UTC)})
    html = signed_in(org.owner).get(reverse("activity_calendar"),
                                    {"month": "2570-02"}).content.decode()
    assert "กุมภาพันธ์ 2570" in html
    assert "ส่งรายงาน" in cell(html, "2027-02-28") and "16:00" in cell(html, "2027-02-28")
    assert 'month=2570-03' in html and 'month=2570-01' in html


def test_an_activity_near_midnight_is_on_the_users_day(org):
    set_user(org.owner, time_zone="Asia/Bangkok")
    activity_create(user=org.owner, data={
        "title": "Early call", "due_at": dt.datetime(2027, 2, 27, 20, tzinfo=UTC)})
    html = signed_in(org.owner).get(reverse("activity_calendar"),
                                    {"month": "2027-02"}).content.decode()
    assert "Early call" in cell(html, "2027-02-28") and "Early call" not in \
        cell(html, "2027-02-27")


def test_week_view_and_bad_parameters(org):
    activity_create(user=org.owner, data={
        "type": "call", "title": "Wednesday call", "due_at": dt.datetime(2026, 12, 9, 14,
                                                                          tzinfo=UTC)})
    activity_create(user=org.outsider, data={
        "title": "Hidden", "due_at": dt.datetime(2026, 12, 9, 15, tzinfo=UTC)})
    client = signed_in(org.owner)
    html = client.get(reverse("activity_calendar"), {"week": "2026-12-10"}).content.decode()
    assert 'data-view="week"' in html and html.count('class="calendar-day') == 7
    assert 'data-date="2026-12-07"' in html and 'data-date="2026-12-13"' in html
    assert "Wednesday call" in html and "Hidden" not in html
    assert "week=2026-12-14" in html and "week=2026-11-30" in html
    for bad in ({"month": "2026-13"}, {"month": "abc"}, {"month": "99999-01"},
                {"week": "not-a-date"}, {"month": "<script>"}):
        response = client.get(reverse("activity_calendar"), bad)
        assert response.status_code == 200 and "<script>" not in response.content.decode()

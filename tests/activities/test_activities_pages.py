"""An activity's own page, its reminder (the one reminder job serves every type), and
query counts of the agenda and calendar that do not grow with the number of activities."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amity.activities.services import activity_create
from amity.activities.tasks import send_task_reminders
from amity.collaboration.models import Notification
from amity.events.models import Event
from tests.conftest import make_account, make_contact, signed_in


def test_a_meetings_page_shows_who_comes_and_when(org):
    account = make_account(org.owner)
    contact = make_contact(org.owner, "Srisuk", account=account)
    meeting = activity_create(user=org.owner, data={
        "type": "meeting", "title": "Kick-off", "account": account,
        "due_at": dt.datetime(2026, 12, 24, 9, tzinfo=dt.UTC), "duration_minutes": 30,
        "participants": [org.teammate], "participant_contacts": [contact]})
    html = signed_in(org.owner).get(reverse("task_detail", args=[meeting.pk])).content.decode()
    details = html.split('id="activity-details"')[1].split("</section>")[0]
    assert "Meeting" in details and "Siam Fresh Foods" in details
    assert "teammate" in details and "Srisuk" in details and "Mark done" in details
    task = activity_create(user=org.owner, data={
        "title": "Report", "recurrence": "FREQ=WEEKLY;BYDAY=FR",
        "due_at": dt.datetime(2026, 12, 25, 9, tzinfo=dt.UTC)})
    page = signed_in(org.owner).get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "Every 1 week(s) · FR" in page


def test_a_meetings_reminder_goes_out_through_the_task_reminder_job(org):
    now = timezone.now()
    meeting = activity_create(user=org.owner, data={
        "type": "meeting", "title": "ประชุมลูกค้า", "due_at": now + dt.timedelta(minutes=10),
        "remind_at": now - dt.timedelta(minutes=1)})
    call = activity_create(user=org.owner, data={
        "type": "call", "title": "Call back", "due_at": now + dt.timedelta(minutes=30),
        "remind_at": now - dt.timedelta(minutes=2)})
    assert send_task_reminders.call() == 2
    assert send_task_reminders.call() == 0
    reminded = {e.subject_id for e in Event.objects.filter(kind="task.reminder_due")}
    assert reminded == {meeting.pk, call.pk}
    titles = set(Notification.objects.filter(recipient=org.owner)
                 .values_list("title", flat=True))
    assert "Reminder: ประชุมลูกค้า" in titles and "Reminder: Call back" in titles


def test_agenda_and_calendar_queries_do_not_grow_with_activities(org):
    account = make_account(org.owner)
    client = signed_in(org.owner)
    start = timezone.now()

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            activity_create(user=org.owner, data={
                "type": "call", "title": f"Call {i}", "account": account,
                "due_at": start + dt.timedelta(hours=i + 1)})

    add(2)
    month = reverse("activity_calendar")
    agenda, calendar_few = count(reverse("activity_agenda")), count(month)
    add(20)
    assert count(reverse("activity_agenda")) == agenda
    assert count(month) == calendar_few

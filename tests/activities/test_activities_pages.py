"""An activity's own page, its reminder (the one reminder job serves every type), and
query counts of the agenda and calendar that do not grow with the number of activities."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amity.activities.models import Task
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


def test_a_new_repeating_task_about_no_record(org):
    client = signed_in(org.owner)
    page = client.get(reverse("activity_new"), {"type": "task"}).content.decode()
    assert 'name="repeat"' in page and 'name="participants"' not in page
    response = client.post(reverse("activity_new") + "?type=task", {
        "type": "task", "title": "รายงานประจำสัปดาห์", "due_at": "2026-12-04T16:00",
        "repeat": "weekly", "repeat_weekdays": ["FR"]})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=FR" and task.about is None
    meeting = client.get(reverse("activity_new"), {"type": "meeting"}).content.decode()
    assert 'name="participants"' in meeting and "<autocomplete-select>" in meeting
    bad = client.post(reverse("activity_new") + "?type=meeting", {
        "type": "meeting", "title": "x", "due_at": "2026-12-04T16:00",
        "ends_at": "2026-12-04T15:00"})
    assert bad.status_code == 422 and 'data-field="ends_at"' in bad.content.decode()
    viewer = signed_in(org.viewer).get(reverse("activity_new"))
    assert viewer.status_code == 403

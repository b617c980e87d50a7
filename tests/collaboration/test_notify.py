"""notify() and the built-in triggers: who is told, on which channel, about what."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from amity.collaboration.kinds import notification_kinds, register_kind
from amity.collaboration.links import record_links
from amity.collaboration.models import TITLE_MAX_LENGTH, Notification
from amity.collaboration.services import notify
from amity.collaboration.tasks import send_notification_email
from amity.core.services import record_assign
from amity.customers.imports.jobs import import_configure, import_create, import_start
from amity.customers.tasks import run_import_job
from tests.collaboration.conftest import choose, queued
from tests.conftest import make_account, make_contact


def notifications_of(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_a_record_assigned_by_someone_else_notifies_the_new_owner(org):
    account = make_account(org.owner, "Siam Fresh Foods")

    record_assign(record=account, user=org.manager, owner=org.teammate)

    [notification] = notifications_of(org.teammate)
    assert notification.kind == "record_assigned"
    assert notification.title == "manager assigned Siam Fresh Foods to you"
    assert notification.actor == org.manager
    assert (notification.record_type.model, notification.record_id) == ("account", account.pk)
    assert notifications_of(org.manager) == [] and notifications_of(org.owner) == []


def test_assigning_a_contact_to_yourself_notifies_nobody(org):
    contact = make_contact(org.teammate, "Boonmee")
    record_assign(record=contact, user=org.owner, owner=org.owner)
    assert Notification.objects.count() == 0


def test_a_change_of_team_only_notifies_nobody(org):
    account = make_account(org.owner)
    record_assign(record=account, user=org.manager, owner=org.owner, team=org.west)
    assert Notification.objects.count() == 0


def test_the_title_is_in_the_recipients_language(org):
    org.teammate.language = "th"
    org.teammate.save()
    account = make_account(org.owner, "บริษัท สยาม")
    record_assign(record=account, user=org.manager, owner=org.teammate)
    [notification] = notifications_of(org.teammate)
    assert "บริษัท สยาม" in notification.title
    assert "assigned" not in notification.title  # the Thai sentence, not the English one


def test_the_actor_is_not_notified_unless_asked(org):
    kind = "automation"
    assert notify(recipients=[org.owner, org.teammate], kind=kind, title="Hi",
                  actor=org.owner) == notifications_of(org.teammate)
    assert notifications_of(org.owner) == []
    notify(recipients=[org.owner], kind=kind, title="You did it", actor=org.owner,
           include_actor=True)
    assert [n.title for n in notifications_of(org.owner)] == ["You did it"]


def test_inactive_and_repeated_recipients(org):
    org.outsider.is_active = False
    org.outsider.save()
    created = notify(recipients=[org.owner, org.owner, org.outsider, None], kind="automation",
                     title="Once")
    assert [n.recipient for n in created] == [org.owner]


def test_off_sends_nothing_at_all(org):
    choose(org.teammate, record_assigned="off")
    record_assign(record=make_account(org.owner), user=org.manager, owner=org.teammate)
    assert notifications_of(org.teammate) == []
    assert queued(send_notification_email) == []


def test_email_now_enqueues_one_email_in_the_same_transaction(org):
    choose(org.teammate, record_assigned="email")
    record_assign(record=make_account(org.owner), user=org.manager, owner=org.teammate)
    [notification] = notifications_of(org.teammate)
    assert notification.channel == "email"
    assert queued(send_notification_email) == [[notification.pk]]


def test_in_app_only_and_digest_enqueue_no_email(org):
    choose(org.teammate, record_assigned="in_app")
    choose(org.owner, record_assigned="digest")
    record_assign(record=make_account(org.owner), user=org.manager, owner=org.teammate)
    record_assign(record=make_account(org.teammate), user=org.manager, owner=org.owner)
    assert [n.channel for n in notifications_of(org.teammate)] == ["in_app"]
    assert [n.channel for n in notifications_of(org.owner)] == ["digest"]
    assert queued(send_notification_email) == []


def test_a_rolled_back_change_leaves_no_notification_and_no_task(org):
    from django.db import transaction

    choose(org.teammate, automation="email")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[org.teammate], kind="automation", title="Never")
        raise RuntimeError
    assert notifications_of(org.teammate) == [] and queued(send_notification_email) == []


def test_bad_input_names_the_field(org):
    with pytest.raises(ValidationError) as unknown:
        notify(recipients=[org.owner], kind="no_such_kind", title="x")
    assert "kind" in unknown.value.message_dict
    with pytest.raises(ValidationError) as empty:
        notify(recipients=[org.owner], kind="automation", title=" \n\t ")
    assert "title" in empty.value.message_dict
    with pytest.raises(ValidationError) as channel:
        choose(org.owner, automation="carrier_pigeon")
    assert "channels.automation" in channel.value.message_dict


@pytest.mark.parametrize("title", [
    "<script>alert(1)</script>", "🎉 สวัสดี مرحبا 你好",
    "'; DROP TABLE collaboration_notification; --",
])
def test_nasty_titles_are_stored_as_given(org, title):
    [notification] = notify(recipients=[org.owner], kind="automation", title=title)
    notification.refresh_from_db()
    assert notification.title == title


def test_huge_titles_are_cut_and_line_breaks_flattened(org):
    [notification] = notify(recipients=[org.owner], kind="automation",
                            title="Subject\r\nBcc: victim@example.com " + "ก" * 100_000)
    notification.refresh_from_db()
    assert len(notification.title) == TITLE_MAX_LENGTH and notification.title.endswith("…")
    assert "\n" not in notification.title and "\r" not in notification.title


def test_other_parts_register_their_own_kinds(org):
    register_kind("mention", gettext_lazy("Someone mentions me"), default_channel="email")
    assert "mention" in [k.key for k in notification_kinds()]
    [notification] = notify(recipients=[org.owner], kind="mention",
                            title=format_lazy("{who} mentioned you", who="Somchai"))
    assert (notification.channel, notification.title) == ("email", "Somchai mentioned you")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_import_finishing_tells_its_owner_the_counts(org, media):
    org.owner.language = "fa"
    org.owner.save()
    rows = "Last name,Email\n" + "".join(f"کاربر{i},user{i}@example.ir\n" for i in range(12))
    rows += "Nobody,not-an-email\n"
    job = import_create(user=org.owner, file=io.BytesIO(rows.encode()), filename="مشتریان.csv")
    import_configure(job=job, user=org.owner, mapping={"Last name": "family_name",
                                                      "Email": "email"})
    import_start(job=job, user=org.owner)
    assert notifications_of(org.owner) == []  # not before it has run

    run_import_job.call(job.pk)

    [notification] = notifications_of(org.owner)
    assert notification.kind == "import_finished" and notification.actor is None
    assert "مشتریان.csv" in notification.title
    assert "۱۲" in notification.title and "۱" in notification.title  # Persian digits
    # Its link opens the import page, through the imports' own gate (the owner's jobs).
    assert record_links(org.owner, [notification]) == {
        notification.pk: reverse("import_detail", args=[job.pk])}
    assert record_links(org.manager, [notification]) == {}


def test_a_task_reminder_notifies_its_owner_once_in_their_language(org):
    import datetime as dt

    from django.utils import timezone

    from amity.activities.reminders import task_reminders_due
    from amity.activities.services import task_create

    org.owner.language = "th"
    org.owner.save()
    task = task_create(user=org.owner, data={
        "title": "โทรหาคุณสมชาย", "due_at": timezone.now() + dt.timedelta(hours=2),
        "remind_at": timezone.now() - dt.timedelta(minutes=1)})
    assert task_reminders_due() == 1
    assert task_reminders_due() == 0  # a second run reminds nobody again
    [note] = Notification.objects.filter(recipient=org.owner, kind="task_reminder")
    assert note.title == "การเตือน: โทรหาคุณสมชาย" and note.record_id == task.pk

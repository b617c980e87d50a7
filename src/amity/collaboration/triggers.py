"""The built-in notifications: a record assigned to you by someone else, a reminder of
one of your tasks, and an import of yours finishing."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amity.collaboration.kinds import IMPORT_FINISHED, RECORD_ASSIGNED, TASK_REMINDER
from amity.collaboration.links import register_link
from amity.collaboration.services import notify
from amity.core.calendars import format_number
from amity.core.models import OwnedRecord

# Counts in the recipient's language (Persian digits), rendered with the title.
_number = lazy(format_number, str)


def on_event(event) -> None:
    """Event stream subscriber: a change of owner notifies the new owner, a task's reminder
    its owner. Cheap: the publisher hands over the record with the event, so it costs no
    extra read."""
    if event.kind == "task.reminder_due":
        task = event.subject
        notify(recipients=[task.owner], kind=TASK_REMINDER.key, record=task,
               title=format_lazy(_("Reminder: {task}"), task=task.title), include_actor=True)
        return
    if event.kind != "assigned" or "owner" not in (event.payload.get("changes") or {}):
        return
    record = event.subject
    if not isinstance(record, OwnedRecord):
        return
    owner = record.owner
    title = format_lazy(_("{actor} assigned {record} to you"),
                        actor=str(event.actor) if event.actor else _("Someone"),
                        record=str(record))
    notify(recipients=[owner], kind=RECORD_ASSIGNED.key, title=title, record=record,
           actor=event.actor)


def import_finished(job) -> None:
    """Tell the user who started an import that it has finished, with its row counts."""
    from amity.customers.import_jobs import ImportStatus

    if job.status == ImportStatus.DONE:
        title = format_lazy(
            _("Import of {file} finished: {created} created, {updated} updated, "
              "{skipped} skipped, {failed} failed"),
            file=job.filename, created=_number(job.created), updated=_number(job.updated),
            skipped=_number(job.skipped), failed=_number(job.failed))
    else:
        title = format_lazy(_("Import of {file} failed: {message}"), file=job.filename,
                            message=job.message or _("see the import page"))
    notify(recipients=[job.owner], kind=IMPORT_FINISHED.key, title=title, record=job)


def register_import_links() -> None:
    from amity.customers.import_jobs import ImportJob
    from amity.customers.imports.jobs import jobs_of

    register_link(ImportJob, visible=jobs_of,
                  url=lambda job: reverse("import_detail", args=[job.pk]))

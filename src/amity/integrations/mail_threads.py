"""Threading by Message-ID, In-Reply-To and References.

Each thread keeps every Message-ID known to belong to it: those of its messages and
those they refer to. So a reply joins its parent's thread, a parent arriving after
its reply joins the reply's thread, and two threads that a message shows to be one
conversation are merged into the older."""

from collections.abc import Sequence

from django.db import transaction

from amity.integrations.models import MailThread, ThreadMessageId


@transaction.atomic
def mail_thread_register(*, message_id: str, references: Sequence[str] = (),
                         subject: str = "") -> MailThread:
    """The thread of the message `message_id` that refers to `references` (its
    References and In-Reply-To), made or merged as needed. Mail we send calls this
    with its own Message-ID, so the replies it gets join its thread."""
    ids = list(dict.fromkeys(i for i in (message_id, *references) if i))
    known = dict(ThreadMessageId.objects.filter(message_id__in=ids)
                 .values_list("message_id", "thread_id"))
    thread_ids = sorted(set(known.values()))
    if not thread_ids:
        thread = MailThread.objects.create(subject=subject[:998])
    else:
        thread = MailThread.objects.get(pk=thread_ids[0])
        if len(thread_ids) > 1:
            _merge(into=thread, others=thread_ids[1:])
    ThreadMessageId.objects.bulk_create(
        [ThreadMessageId(message_id=i, thread=thread) for i in ids if i not in known],
        ignore_conflicts=True)
    return thread


def _merge(*, into: MailThread, others: list[int]) -> None:
    # Every model that points at a thread moves (inbound messages, known Message-IDs,
    # and whatever else refers to threads, such as mail we send).
    for relation in MailThread._meta.related_objects:
        if relation.one_to_many:
            name = relation.field.name
            relation.related_model._base_manager.filter(**{f"{name}__in": others}).update(
                **{name: into})
    MailThread.objects.filter(pk__in=others).delete()

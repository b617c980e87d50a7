"""A service-level check on email in: a customer's message that nobody has answered
within AMITY_EMAIL_REPLY_HOURS tells the owners of the contacts who wrote it, once.

Answered means, after the message arrived: an email sent from Amity to one of those
contacts, a logged email or call with one of them, or a later message in the same
conversation from another address (a colleague's reply copied to the mailbox). Each
message is decided once (reply_checked_at), so a periodic run reads only the few
undecided messages of the last days."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amity.activities.models import ActivityType, Task
from amity.collaboration.kinds import register_kind
from amity.collaboration.services import notify
from amity.core.calendars import format_number
from amity.customers.models import Contact
from amity.integrations.inbound_mail import stored_address
from amity.integrations.models import InboundMessage, OutboundEmail, OutboundStatus

REPLY_OVERDUE = register_kind("email_reply_overdue",
                              _("A customer's email waits too long for an answer"))
LOOK_BACK = dt.timedelta(days=7)  # older messages are not checked (a new mailbox's past)
PER_RUN = 500
_NOT_SENT = (OutboundStatus.FAILED, OutboundStatus.CANCELLED)
_number = lazy(format_number, str)  # rendered in each recipient's digits


def check_replies(*, now: dt.datetime | None = None) -> int:
    """Decide the messages whose answer time has passed; how many were overdue."""
    hours = settings.EMAIL_REPLY_HOURS
    if not hours:
        return 0
    now = now or timezone.now()
    due = now - dt.timedelta(hours=hours)
    waiting = InboundMessage.objects.filter(
        reply_checked_at__isnull=True, received_at__lte=due,
        received_at__gte=due - LOOK_BACK).prefetch_related(
        "contacts__owner", "contacts__other_emails").order_by(
        "received_at")[:PER_RUN]
    overdue = 0
    for message in waiting:
        writers = _writers(message)
        if writers and not _answered(message, writers):
            _tell_owners(message, writers, hours)
            overdue += 1
        InboundMessage.objects.filter(pk=message.pk).update(reply_checked_at=now)
    return overdue


def _writers(message: InboundMessage) -> list[Contact]:
    """The message's contacts who sent it (not those it was only addressed or copied to)."""
    sender = stored_address(message.from_address)
    return [c for c in message.contacts.all()
            if c.email == sender or any(e.email == sender for e in c.other_emails.all())]


def _answered(message: InboundMessage, writers: list[Contact]) -> bool:
    since = message.received_at
    if OutboundEmail.objects.filter(contact__in=writers, created_at__gt=since).exclude(
            status__in=_NOT_SENT).exists():
        return True
    if Task.objects.filter(contact__in=writers, done_at__gte=since,
                           type__in=[ActivityType.EMAIL, ActivityType.CALL]).exists():
        return True
    return InboundMessage.objects.filter(thread_id=message.thread_id, received_at__gt=since
                                         ).exclude(from_address__iexact=message.from_address
                                                   ).exists()


def _tell_owners(message: InboundMessage, writers: list[Contact], hours: int) -> None:
    for contact in writers:
        notify(recipients=[contact.owner], kind=REPLY_OVERDUE.key, record=contact,
               title=format_lazy(_("No answer in {hours} hours to {name}: {subject}"),
                                 hours=_number(hours), name=str(contact),
                                 subject=message.subject or _("(no subject)")))

"""Leads from inbound email: mail from an address no contact or lead has becomes a lead
(if its mailbox says so); mail from a lead's address is logged on the lead."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse

from amity.core.services import record_create
from amity.events.services import publish
from amity.integrations.inbound_mail import EVENT_KIND, stored_address
from amity.org.models import User
from amity.sales.lead_capture import CAPTURED
from amity.sales.models import Lead

logger = logging.getLogger("amity.sales.leads")


def name_parts(display_name: str, address: str) -> tuple[str, str]:
    """(given, family) from a From header's display name; the mailbox name if none.
    The last word is the family name ("Somchai Jaidee"); one word is all family name
    (e.g. a Chinese name written without spaces)."""
    words = display_name.strip().strip('"').split()
    if not words:
        return "", address.split("@", 1)[0][:100] or address[:100]
    if len(words) == 1:
        return "", words[0][:100]
    return " ".join(words[:-1])[:100], words[-1][:100]


def lead_message_readers(user):
    """Messages whose sender is a lead `user` sees (for InboundMessage.visible_to)."""
    return Exists(Lead.objects.visible_to(user).filter(email=Lower(OuterRef("from_address"))))


def leads_from_mail(*, message, mailbox, contacts: list) -> list[Lead]:
    """Log the message on the leads with its sender's address, or create one when the
    sender is no contact and no lead and the mailbox creates leads. Returns the leads."""
    sender = stored_address(message.from_address or "")
    if not sender:
        return []
    leads = list(Lead.objects.filter(email=sender).order_by("pk")[:10])
    if not leads and not contacts and mailbox.create_leads and mailbox.lead_owner_id \
            and not _colleague(sender):
        created = _lead_from(message, mailbox, sender)
        leads = [created] if created else []
    payload = {"title": message.subject, "url": reverse("inbound_message", args=[message.pk]),
               "from": message.from_address, "message": message.pk,
               "thread": message.thread_id}
    for lead in leads:
        publish(subject=lead, kind=EVENT_KIND, payload=payload)
    return leads


def _colleague(address: str) -> bool:
    # Mail from a user of Amity (a colleague forwarding, a copy of our own mail) is no lead.
    return User.objects.filter(email__iexact=address).exists()


def _lead_from(message, mailbox, sender: str) -> Lead | None:
    given, family = name_parts(message.from_name or "", sender)
    data = {"given_name": given, "family_name": family, "email": sender,
            "description": (message.text_body or "")[:10000],
            "source": f"Email: {mailbox.name}"[:100]}
    try:
        with transaction.atomic():
            lead = record_create(model=Lead, user=mailbox.lead_owner, data=data)
            publish(subject=lead, kind=CAPTURED, payload={
                "title": message.subject, "channel": "email", "mailbox": mailbox.pk})
    except (ValidationError, PermissionDenied) as exc:
        # The message is stored whatever happens to the lead; the admin sees why here.
        logger.warning("Mailbox %s: no lead from %s: %s", mailbox.pk, sender, exc)
        return None
    return lead

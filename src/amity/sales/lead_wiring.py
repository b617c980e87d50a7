"""Connects leads to the rest of Amity at start-up: automation rules may watch leads, and
stored inbound mail may become leads,
and a lead's mail is readable by those who see the lead."""

from amity.automation.kinds import register_record_kind
from amity.integrations.inbound_mail import on_mail_stored
from amity.integrations.models.mail_in import MESSAGE_READERS
from amity.sales.lead_mail import lead_message_readers, leads_from_mail

register_record_kind("sales.lead")
on_mail_stored(leads_from_mail)
if lead_message_readers not in MESSAGE_READERS:
    MESSAGE_READERS.append(lead_message_readers)

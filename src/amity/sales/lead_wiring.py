"""Connects leads to the rest of Amity at start-up: automation rules may watch leads, and
stored inbound mail may become leads."""

from amity.automation.kinds import register_record_kind
from amity.integrations.inbound_mail import on_mail_stored
from amity.sales.lead_mail import leads_from_mail

register_record_kind("sales.lead")
on_mail_stored(leads_from_mail)

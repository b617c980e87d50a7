"""Opportunities join the shared mechanisms: automation may watch them (amount in its
currency) and their stage events have names on timelines and in rule pickers."""

from django.utils.translation import gettext_lazy as _

from amity.automation.kinds import register_record_kind
from amity.events.kinds import register_event_kind
from amity.sales.opportunity_services import LOST, MOVED, REOPENED, WON

register_record_kind("sales.opportunity", money={"amount": "currency"})
register_event_kind(MOVED, _("Stage changed"))
register_event_kind(WON, _("Closed won"))
register_event_kind(LOST, _("Closed lost"))
register_event_kind(REOPENED, _("Reopened"))

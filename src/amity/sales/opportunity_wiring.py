"""Opportunities join the shared mechanisms: automation may watch them (amount in its
currency), their stage events have names on timelines and in rule pickers, and a merged
customer's opportunities, quotes and orders go to the survivor (and back on undo)."""

from django.utils.translation import gettext_lazy as _

from amity.automation.kinds import register_record_kind
from amity.customers.merge_related import Related, register_merge_related
from amity.customers.models import Account, Contact
from amity.events.kinds import register_event_kind
from amity.sales.models import Opportunity, Order, Quote
from amity.sales.opportunity_services import LOST, MOVED, REOPENED, WON

register_record_kind("sales.opportunity", money={"amount": "currency"})
register_event_kind(MOVED, _("Stage changed"))
register_event_kind(WON, _("Closed won"))
register_event_kind(LOST, _("Closed lost"))
register_event_kind(REOPENED, _("Reopened"))
for model, fk in ((Contact, "contact"), (Account, "account")):
    register_merge_related(model, Related("opportunities", Opportunity, fk))
    register_merge_related(model, Related("quotes", Quote, fk))
    register_merge_related(model, Related("orders", Order, fk))

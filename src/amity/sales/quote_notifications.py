"""Who hears about a quote's discount approval: a discount over the threshold notifies
the sales managers of the rep's team and the teams above it (administrators when there
are none), who may see the quote; the manager's decision notifies the quote's owner."""

from decimal import Decimal

from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amity.collaboration.channels import Channel
from amity.collaboration.kinds import register_kind
from amity.collaboration.services import notify
from amity.core.calendars import format_number
from amity.org.models import Team, User
from amity.sales.models import Quote

APPROVAL_NEEDED = register_kind("quote_approval_needed",
                                _("A quote's discount waits for my approval"),
                                default_channel=Channel.EMAIL)
DECISION = register_kind("quote_approval_decided",
                         _("My quote's discount was approved or refused"))
# "20.0000" as 20, in each recipient's language (Persian digits), rendered with the title.
_percent = lazy(lambda value: format_number(Decimal(value)), str)
MAX_TEAM_DEPTH = 50  # a guard against a cycle in the team tree


def _team_chain(team_id: int | None) -> list[int]:
    """The team and the teams above it, nearest first."""
    chain: list[int] = []
    while team_id is not None and team_id not in chain and len(chain) < MAX_TEAM_DEPTH:
        chain.append(team_id)
        team_id = Team.objects.filter(pk=team_id).values_list("parent_id", flat=True).first()
    return chain


def approvers(quote: Quote) -> list[User]:
    """The sales managers above the quote's owner who may see the quote, else the
    administrators."""
    active = User.objects.filter(is_active=True).select_related("role")
    managers = active.filter(role__key="sales_manager",
                             team_id__in=_team_chain(quote.owner.team_id if quote.owner
                                                     else None))
    found = [user for user in managers
             if Quote.objects.visible_to(user).filter(pk=quote.pk).exists()]
    return found or list(active.filter(Q(role__is_administrator=True) | Q(is_superuser=True)))


def on_event(event) -> None:
    """Event stream subscriber for quote.approval_requested, quote.approved and
    quote.rejected."""
    if event.kind not in ("quote.approval_requested", "quote.approved", "quote.rejected"):
        return
    quote = event.subject
    if not isinstance(quote, Quote):
        return
    if event.kind == "quote.approval_requested":
        notify(recipients=approvers(quote), kind=APPROVAL_NEEDED.key, record=quote,
               actor=event.actor, title=format_lazy(
                   _("{quote}: a discount of {discount} % waits for your approval"),
                   quote=quote.number, discount=_percent(event.payload.get("discount", "0"))))
        return
    title = _("{who} approved the discount on {quote}") if event.kind == "quote.approved" \
        else _("{who} refused the discount on {quote}: {comment}")
    notify(recipients=[quote.owner] if quote.owner else [], kind=DECISION.key, record=quote,
           actor=event.actor, title=format_lazy(
               title, who=str(event.actor) if event.actor else _("Someone"),
               quote=quote.number, comment=event.payload.get("comment", "")))

from django import template

from amity.customers.forms import ConsentForm
from amity.customers.merge import undoable_merges
from amity.customers.models import Channel
from amity.customers.selectors import current_consents

register = template.Library()


@register.filter
def consents(contact) -> list:
    """(channel label, statement in force or None) for every channel."""
    labels = dict(Channel.choices)
    return [(labels[channel], consent) for channel, consent in current_consents(contact).items()]


@register.filter
def consent_form(contact) -> ConsentForm:
    return ConsentForm()


@register.filter
def merges(record) -> list:
    """The merges into this contact or account that can still be undone, newest first."""
    return undoable_merges(record)


@register.filter
def merge_undo_url_name(record) -> str:
    return f"{record._meta.model_name}_merge_undo"

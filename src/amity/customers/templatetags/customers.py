from django import template

from amity.core.pagination import KeysetPage, keyset_page
from amity.customers.forms import (
    AddressForm,
    ConsentForm,
    ContactEmailForm,
    ContactPhoneForm,
    MembershipForm,
    SocialHandleForm,
    TagsForm,
)
from amity.customers.merge import undoable_merges
from amity.customers.models import Account, Channel
from amity.customers.selectors import (
    account_children,
    account_contacts,
    current_consents,
)

ROWS = 20  # rows of a related list per page

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


# --- the customer 360 panels ---------------------------------------------------------------

_PANEL_FORMS = {
    "email": lambda context: ContactEmailForm(),
    "phone": lambda context: ContactPhoneForm(),
    "address": lambda context: AddressForm(),
    "social_handle": lambda context: SocialHandleForm(),
    "membership": lambda context: MembershipForm(user=context["user"]),
    "tags": lambda context: TagsForm(record=context["record"]),
}


@register.simple_tag(takes_context=True)
def panel_form(context, name: str):
    """The panel's form as the user submitted it (with errors), else an empty one."""
    submitted = (context.get("forms") or {}).get(name)
    return submitted or _PANEL_FORMS[name](context)


@register.filter
def url_name(record, suffix: str) -> str:
    """The URL name of a record kind's page or action: contact + address_add."""
    return f"{record._meta.model_name}_{suffix}"


@register.filter
def ordered_addresses(record) -> list:
    return list(record.addresses.order_by("-is_primary", "id"))


@register.filter
def visible_memberships(contact, user) -> list:
    """The contact's memberships of accounts the user may see."""
    accounts = Account.objects.visible_to(user)
    return list(contact.memberships.filter(account__in=accounts).select_related("account")
                .order_by("account__name", "id"))


@register.filter
def contacts_page(account, user) -> KeysetPage:
    return keyset_page(account_contacts(account=account, user=user),
                       ordering=("family_name", "id"), size=ROWS)


@register.filter
def children_page(account, user) -> KeysetPage:
    return keyset_page(account_children(account=account, user=user),
                       ordering=("name", "id"), size=ROWS)

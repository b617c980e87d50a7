from django import template

from amity.integrations.sms_views import SmsForm

register = template.Library()


@register.filter
def sms_form(contact) -> SmsForm:
    """A fresh "Send SMS" form (with a new idempotency key) for the contact page."""
    return SmsForm(contact=contact)

from django import template

from amity.integrations.mail_forms import SendEmailForm
from amity.integrations.models import OutboundEmail

register = template.Library()
RECENT = 5


@register.simple_tag
def send_email_form() -> SendEmailForm:
    return SendEmailForm()


@register.simple_tag
def recent_emails(contact) -> list[OutboundEmail]:
    """The contact's latest messages (the caller shows the contact, so may see them)."""
    return list(OutboundEmail.objects.filter(contact=contact)
                .order_by("-created_at", "-id")[:RECENT])

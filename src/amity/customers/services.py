"""Operations on customers beyond the shared record services."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from amity.customers.models import Consent, Contact
from amity.events.services import publish


def consent_record(*, contact: Contact, user, channel: str, status: str, method: str,
                   proof: str = "") -> Consent:
    """Record that `contact` granted or withdrew consent for `channel`."""
    if not Contact.objects.editable_by(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    consent = Consent(contact=contact, channel=channel, status=status, method=method,
                      proof=proof, recorded_by=user)
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        publish(subject=contact, kind=f"consent.{status}", actor=user,
                payload={"channel": channel, "method": method})
    return consent

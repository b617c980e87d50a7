"""Who messages are from: a user sends as themselves if they have an identity, else as
the organisation, else as DEFAULT_FROM_EMAIL."""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amity.integrations.mail_headers import check_address, check_header
from amity.integrations.models import SenderIdentity


@dataclass(frozen=True)
class Sender:
    name: str
    address: str
    reply_to: str
    identity: SenderIdentity | None

    def as_context(self) -> dict[str, str]:
        return {"name": self.name, "email": self.address, "reply_to": self.reply_to}


def identity_save(*, actor, user=None, from_name: str, from_address: str,
                  reply_to: str = "") -> SenderIdentity:
    """Set the identity of `user` (None: the organisation's). Administrators only."""
    if not actor.is_administrator:
        raise PermissionDenied
    from_name = check_header("from_name", from_name.strip())
    if not from_name:
        raise ValidationError({"from_name": [_("Give the name recipients will see.")]})
    from_address = check_address("from_address", from_address)
    reply_to = check_address("reply_to", reply_to) if reply_to.strip() else ""
    lookup = {"user": user} if user is not None else {"organisation": True}
    with transaction.atomic():
        identity = SenderIdentity.objects.select_for_update().filter(**lookup).first() \
            or SenderIdentity(user=user, organisation=user is None)
        identity.from_name, identity.from_address = from_name, from_address
        identity.reply_to = reply_to
        identity.full_clean(validate_unique=False)
        identity.save()
    return identity


def identity_delete(*, actor, identity_id: int) -> None:
    if not actor.is_administrator:
        raise PermissionDenied
    SenderIdentity.objects.filter(pk=identity_id).delete()


def sender_for(user) -> Sender:
    """The identity `user` sends as."""
    identity = None
    if user is not None and user.pk:
        identity = SenderIdentity.objects.filter(user=user).first()
    identity = identity or SenderIdentity.objects.filter(organisation=True).first()
    if identity is not None:
        return Sender(identity.from_name, identity.from_address, identity.reply_to, identity)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Sender(name, address or "amity@localhost", "", None)

"""Header values that cannot inject headers: no line breaks or control characters, and
addresses that parse as exactly one mailbox."""

import re
import unicodedata
from email.headerregistry import Address
from email.utils import make_msgid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amity.core.emails import normalise_email

# C0 controls (CR, LF, NUL, …), DEL, C1 controls (NEL) and the Unicode line and
# paragraph separators, which some mail software also treats as line breaks.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_header(field: str, value: str) -> str:
    """`value` if it is safe in a header; else a ValidationError naming `field`."""
    if _UNSAFE.search(value) or any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError({field: [_("Line breaks and control characters are not "
                                         "allowed here.")]})
    return value


def check_address(field: str, value: str) -> str:
    """A single valid email address (normalised), safe as a header value."""
    check_header(field, value)
    try:
        return normalise_email(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def mailbox(name: str, address: str) -> str:
    """`Name <address>` with the name quoted as RFC 5322 wants; Django encodes a non-ASCII
    name. The address is taken as checked (a local part may be Thai: SMTPUTF8)."""
    if not name:
        return address
    local, _at, domain = address.rpartition("@")
    return str(Address(display_name=name, username=local, domain=domain))


def new_message_id(from_address: str) -> str:
    """A Message-ID of our own, in the sender's domain (ASCII, as headers need)."""
    domain = from_address.rpartition("@")[2] or "localhost"
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "localhost"
    return make_msgid(domain=domain)

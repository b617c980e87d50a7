"""Email addresses: validated and normalised so the same mailbox always matches."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email


def normalise_email(raw: str) -> str:
    """`raw` validated (syntax only, no network) and normalised: the domain lowercased and
    IDNA-decoded, the local part kept as written except for surrounding space."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(_("Enter a valid email address.")) from exc
    return result.normalized

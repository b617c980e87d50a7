"""Email addresses: validated and normalised so the same mailbox always matches."""

import functools
import importlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

# Checking the part after the @ is most of validate_email's time, and an import file
# repeats a few domains many times. The check is a pure function of its arguments, so
# memoising it where validate_email looks it up keeps the library's rules exactly.
_library = importlib.import_module("email_validator.validate_email")
if not hasattr(_library.validate_email_domain_name, "cache_info"):
    _library.validate_email_domain_name = functools.lru_cache(maxsize=4096)(
        _library.validate_email_domain_name)


def normalise_email(raw: str) -> str:
    """`raw` validated (syntax only, no network) and normalised: the domain lowercased and
    IDNA-decoded, the local part kept as written except for surrounding space."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(_("Enter a valid email address.")) from exc
    return result.normalized

"""Money is a Decimal amount with an ISO 4217 currency code; never a float."""

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CURRENCIES = frozenset(list_currencies())


def validate_currency(code: str) -> None:
    """Accept only ISO 4217 codes babel knows (THB, IRR, CNY, USD, …)."""
    if code and code not in CURRENCIES:
        raise ValidationError(_("%(code)s is not an ISO currency code, e.g. THB.")
                              % {"code": code})

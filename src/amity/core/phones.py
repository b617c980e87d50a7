"""Phone numbers: stored in E.164 for matching, with what the person typed kept."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_RAW_LENGTH = 40


def to_e164(raw: str, *, region: str | None = None) -> str:
    """`raw` as E.164 (+66812345678); `region` (ISO country) reads numbers without +code.

    Raises ValidationError when the text is not a possible phone number."""
    text = raw.strip()
    if len(text) > MAX_RAW_LENGTH:
        raise ValidationError(_("A phone number has at most %(n)s characters.")
                              % {"n": MAX_RAW_LENGTH})
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number we can read; include the country "
                                "code, e.g. +66 81 234 5678.")) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("This phone number has the wrong number of digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

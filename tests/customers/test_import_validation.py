"""An imported row is validated and normalised exactly as a contact saved through a form
(Contact.full_clean), although the import checks rows without building a Contact."""

import pytest
from django.core.exceptions import ValidationError

from amity.core.emails import normalise_email
from amity.customers.imports.contacts import LinkedAccount, validate_row
from amity.customers.models import Contact

ROWS = [
    {"family_name": "ใจดี", "given_name": "สมชาย", "email": "Somchai@Example.CO.TH",
     "phone": "081 234 5678", "country": "th"},
    {"family_name": "احمدی", "email": "مریم@مثال.ایران", "phone": "+98 912 345 6789"},
    {"family_name": "王", "given_name": "伟", "email": "wei@例子.中国", "phone": "138 0013 8000",
     "country": "CN", "gender": "female", "time_zone": "Asia/Shanghai"},
    {"family_name": "", "email": "not-an-email", "phone": "12", "country": "TH"},
    {"family_name": "x" * 101, "email": "a@" + "b" * 250 + ".com", "country": "THA",
     "phone": "0812345678"},
    {"family_name": "Emoji 😀", "email": "emoji😀@example.com", "gender": "robot",
     "time_zone": "Mars/Olympus", "lifecycle_stage": "'; DROP TABLE contacts; --"},
    {"family_name": "Tables", "email": "bobby@example..com", "language": "t" * 40,
     "phone": "+1 (555) 010-9999 ext. 1234567890123456789012345"},
    {"full_name": "Somchai Jaidee", "email": "  padded@example.com  ", "birth_date": "1990-04-13"},
]
ACCOUNTS = {"Siam": LinkedAccount(7, "Siam", "TH")}
NO_COUNTRY = {"family_name": "NoCountry", "phone": "081 234 5678", "account": "Siam"}


def form_path(values: dict) -> tuple[dict, dict]:
    """What Contact.full_clean makes of the same values (errors by field, fields)."""
    data = validate_row(values, accounts={}).values  # full names split, dates parsed
    given = {k: v for k, v in data.items() if k != "phone_e164"}
    given.setdefault("family_name", "")
    contact = Contact(**given)
    errors = {}
    try:
        exclude = {f.name for f in Contact._meta.concrete_fields} - set(given) - {"family_name"}
        contact.full_clean(exclude=exclude | {"owner", "team"},
                           validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    return errors, {name: getattr(contact, name) for name in (*given, "phone_e164")}


@pytest.mark.parametrize("values", ROWS)
def test_import_validation_matches_full_clean(values):
    candidate = validate_row(values, accounts={})
    errors, cleaned = form_path(values)
    assert candidate.errors == errors
    if not errors:
        assert candidate.values == cleaned


def test_a_phone_without_code_is_read_in_the_accounts_country():
    assert validate_row(NO_COUNTRY, accounts=ACCOUNTS).values["phone_e164"] == "+66812345678"
    assert "phone" in validate_row(NO_COUNTRY, accounts={}).errors


def test_remembered_domains_give_the_same_answers_every_time():
    for _ in range(3):
        assert normalise_email("Wei@例子.中国") == "Wei@例子.中国"
        assert normalise_email("x@EXAMPLE.com") == "x@example.com"
        with pytest.raises(ValidationError):
            normalise_email("x@example..com")
        with pytest.raises(ValidationError):
            normalise_email("x@localhost")

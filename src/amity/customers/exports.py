"""The export columns of accounts and contacts beyond their own fields: tags, a contact's
other emails and phones (one cell each), the primary address. Read from prefetched rows,
so an export costs a few queries per chunk of records, never one per record."""

from django.utils.translation import gettext_lazy as _

from amity.core.exports import ExportColumns
from amity.core.tags import tags_text


def _primary_address(record) -> str:
    primary = next((a for a in record.addresses.all() if a.is_primary), None)
    return str(primary) if primary else ""


def _joined(rows, attribute: str) -> str:
    return "; ".join(getattr(row, attribute) for row in sorted(rows, key=lambda r: r.pk))


def account_columns() -> ExportColumns:
    from amity.customers.selectors import account_details

    return ExportColumns(prefetch=account_details(), columns=(
        (_("Tags"), lambda account: tags_text(account.tags.all())),
        (_("Primary address"), _primary_address),
    ))


def contact_columns() -> ExportColumns:
    from amity.customers.selectors import contact_details

    return ExportColumns(prefetch=contact_details(), columns=(
        (_("Tags"), lambda contact: tags_text(contact.tags.all())),
        (_("Interests"), lambda contact: tags_text(contact.interests.all())),
        (_("Other email addresses"), lambda contact: _joined(contact.other_emails.all(),
                                                             "email")),
        (_("Other phone numbers"), lambda contact: _joined(contact.other_phones.all(),
                                                           "phone")),
        (_("Primary address"), _primary_address),
        (_("Website"), lambda contact: "; ".join(contact.websites())),
    ))

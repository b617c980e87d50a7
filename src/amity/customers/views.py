from amity.customers.filters import AccountFilter, ContactFilter
from amity.customers.forms import AccountForm, ContactForm
from amity.customers.models import Account, Contact
from amity.customers.tables import AccountTable, ContactTable
from amity.web.records import RecordUI, record_urls

ACCOUNTS = RecordUI(
    model=Account, form=AccountForm, table=AccountTable, filterset=AccountFilter,
    sorts={"name": "name", "updated_at": "updated_at"},
)
CONTACTS = RecordUI(
    model=Contact, form=ContactForm, table=ContactTable, filterset=ContactFilter,
    sorts={"name": "family_name", "updated_at": "updated_at"}, related=("account",),
)

urlpatterns = record_urls(ACCOUNTS, "accounts") + record_urls(CONTACTS, "contacts")

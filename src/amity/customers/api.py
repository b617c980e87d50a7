"""API schemas and routers for accounts and contacts."""

from ninja import Field

from amity.api.crud import RecordOut, StrictSchema, record_router
from amity.customers.filters import AccountFilter, ContactFilter
from amity.customers.models import Account, AccountType, Contact


class AccountIn(StrictSchema):
    name: str = Field(max_length=200)
    type: AccountType = AccountType.PROSPECT
    industry: str = Field("", max_length=100)
    website: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    city: str = Field("", max_length=100)
    country: str = Field("", max_length=2)
    description: str = Field("", max_length=10000)


class AccountPatch(StrictSchema):
    name: str = Field(None, max_length=200)
    type: AccountType = None
    industry: str = Field(None, max_length=100)
    website: str = Field(None, max_length=200)
    phone: str = Field(None, max_length=40)
    city: str = Field(None, max_length=100)
    country: str = Field(None, max_length=2)
    description: str = Field(None, max_length=10000)


class AccountOut(RecordOut):
    name: str
    type: str
    industry: str
    website: str
    phone: str
    city: str
    country: str
    description: str


class ContactIn(StrictSchema):
    given_name: str = Field("", max_length=100)
    family_name: str = Field(max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    job_title: str = Field("", max_length=100)
    account: int | None = None


class ContactPatch(StrictSchema):
    given_name: str = Field(None, max_length=100)
    family_name: str = Field(None, max_length=100)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    job_title: str = Field(None, max_length=100)
    account: int | None = None


class ContactOut(RecordOut):
    given_name: str
    family_name: str
    display_name: str
    email: str
    phone: str
    job_title: str
    account: int | None

    @staticmethod
    def resolve_display_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id


accounts_router = record_router(
    model=Account, schema_in=AccountIn, schema_patch=AccountPatch, schema_out=AccountOut,
    filterset=AccountFilter, orderings=("name", "updated_at", "created_at"),
)
contacts_router = record_router(
    model=Contact, schema_in=ContactIn, schema_patch=ContactPatch, schema_out=ContactOut,
    filterset=ContactFilter, orderings=("family_name", "updated_at", "created_at"),
)

"""API schemas of a record's details: other emails and phones, addresses, social handles,
memberships. Kept apart from customers.api so the nested endpoints can share them."""

from typing import Literal

from ninja import Field, Schema

from amity.api.crud import StrictSchema, patch_schema
from amity.customers.models import AddressKind, EmailLabel, PhoneLabel, SocialNetwork


class EmailIn(StrictSchema):
    email: str = Field(max_length=254)
    label: Literal[tuple(EmailLabel.values)] = EmailLabel.OTHER.value


class EmailOut(Schema):
    id: int
    email: str
    label: str


class PhoneIn(StrictSchema):
    phone: str = Field(max_length=40)
    label: Literal[tuple(PhoneLabel.values)] = PhoneLabel.MOBILE.value


class PhoneOut(Schema):
    id: int
    phone: str
    phone_e164: str
    label: str


class AddressIn(StrictSchema):
    kind: Literal[tuple(AddressKind.values)] = AddressKind.OFFICE.value
    is_primary: bool = False
    street: str = Field(max_length=500)
    city: str = Field("", max_length=100)
    region: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field("", max_length=2)


AddressPatch = patch_schema(AddressIn)


class AddressOut(Schema):
    id: int
    kind: str
    is_primary: bool
    street: str
    city: str
    region: str
    postal_code: str
    country: str


class SocialHandleIn(StrictSchema):
    network: Literal[tuple(SocialNetwork.values)]
    handle: str = Field(max_length=200)


class SocialHandleOut(Schema):
    id: int
    network: str
    handle: str


class MembershipIn(StrictSchema):
    account: int
    role: str = Field("", max_length=100)
    title: str = Field("", max_length=100)


class MembershipPatch(StrictSchema):
    role: str = Field(max_length=100)
    title: str = Field(max_length=100)


class MembershipOut(Schema):
    id: int
    account: int
    role: str
    title: str

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

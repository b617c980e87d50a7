"""API schemas and routers for accounts and contacts."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from amity.api.crud import (
    CustomValues,
    RecordOut,
    StrictSchema,
    etag,
    if_match_version,
    patch_schema,
    record_router,
)
from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.customers.detail_api import (
    add_address_routes,
    add_contact_point_routes,
    add_contact_relation_routes,
)
from amity.customers.detail_schemas import (
    AddressOut,
    EmailOut,
    MembershipOut,
    PhoneOut,
    SocialHandleOut,
)
from amity.customers.filters import AccountFilter, ContactFilter
from amity.customers.merge import record_merge, record_merge_undo, undoable_merges
from amity.customers.models import (
    Account,
    AccountType,
    Channel,
    ConsentMethod,
    ConsentStatus,
    Contact,
    Gender,
    IncomeBand,
    LifecycleStage,
    Tier,
)
from amity.customers.selectors import account_details, contact_details
from amity.customers.services import consent_record
from amity.events.models import Event


def blank_or(choices: type[TextChoices]) -> Any:
    """A choice field that also takes "" (not set), and nothing else."""
    return Literal[("", *choices.values)]


Stage, TierChoice, GenderChoice = blank_or(LifecycleStage), blank_or(Tier), blank_or(Gender)
IncomeBandChoice = blank_or(IncomeBand)
# Tag names; core.tags tidies them and names the field if one is too long.
TagNames = list[str]
TAGS = Field([], max_length=50)


def tag_names(manager) -> list[str]:
    """Names of a record's tags or interests, read from the prefetch when there is one."""
    return sorted(tag.name for tag in manager.all())


class AccountIn(StrictSchema):
    name: str = Field(max_length=200)
    legal_name: str = Field("", max_length=200)
    type: AccountType = AccountType.PROSPECT
    lifecycle_stage: Stage = ""
    tier: TierChoice = ""
    parent: int | None = None
    industry: str = Field("", max_length=100)
    employees: int | None = Field(None, ge=0)
    annual_revenue: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    revenue_currency: str = Field("", max_length=3)
    website: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    city: str = Field("", max_length=100)
    country: str = Field("", max_length=2)
    language: str = Field("", max_length=35)
    description: str = Field("", max_length=10000)
    custom: CustomValues = {}
    tags: TagNames = TAGS


class AccountOut(RecordOut):
    name: str
    legal_name: str
    type: str
    lifecycle_stage: str
    tier: str
    parent: int | None
    industry: str
    employees: int | None
    annual_revenue: Decimal | None
    revenue_currency: str
    website: str
    phone: str
    city: str
    country: str
    language: str
    description: str
    custom: CustomValues
    tags: list[str]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return tag_names(obj.tags)

    @staticmethod
    def resolve_addresses(obj) -> list:
        return list(obj.addresses.all())


class ContactIn(StrictSchema):
    salutation: str = Field("", max_length=30)
    given_name: str = Field("", max_length=100)
    family_name: str = Field(max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    job_title: str = Field("", max_length=100)
    department: str = Field("", max_length=100)
    account: int | None = None
    lifecycle_stage: Stage = ""
    birth_date: dt.date | None = None
    gender: GenderChoice = ""
    language: str = Field("", max_length=35)
    time_zone: str = Field("", max_length=64)
    city: str = Field("", max_length=100)
    country: str = Field("", max_length=2)
    source: str = Field("", max_length=100)
    external_id: str = Field("", max_length=100)
    description: str = Field("", max_length=10000)
    custom: CustomValues = {}
    income_band: IncomeBandChoice = ""
    tags: TagNames = TAGS
    interests: TagNames = TAGS


class ContactOut(RecordOut):
    salutation: str
    given_name: str
    family_name: str
    display_name: str
    email: str
    phone: str
    phone_e164: str
    job_title: str
    department: str
    account: int | None
    lifecycle_stage: str
    birth_date: dt.date | None
    gender: str
    language: str
    time_zone: str
    city: str
    country: str
    source: str
    external_id: str
    description: str
    custom: CustomValues
    income_band: str
    tags: list[str]
    interests: list[str]
    other_emails: list[EmailOut]
    other_phones: list[PhoneOut]
    addresses: list[AddressOut]
    social_handles: list[SocialHandleOut]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_display_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return tag_names(obj.tags)

    @staticmethod
    def resolve_interests(obj) -> list[str]:
        return tag_names(obj.interests)

    @staticmethod
    def resolve_other_emails(obj) -> list:
        return list(obj.other_emails.all())

    @staticmethod
    def resolve_other_phones(obj) -> list:
        return list(obj.other_phones.all())

    @staticmethod
    def resolve_addresses(obj) -> list:
        return list(obj.addresses.all())

    @staticmethod
    def resolve_social_handles(obj) -> list:
        return list(obj.social_handles.all())

    @staticmethod
    def resolve_memberships(obj) -> list:
        return list(obj.memberships.all())

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id


AccountPatch = patch_schema(AccountIn)
ContactPatch = patch_schema(ContactIn)

accounts_router = record_router(
    model=Account, schema_in=AccountIn, schema_patch=AccountPatch, schema_out=AccountOut,
    filterset=AccountFilter, orderings=("name", "updated_at", "created_at"),
    prefetch=account_details(),
)
contacts_router = record_router(
    model=Contact, schema_in=ContactIn, schema_patch=ContactPatch, schema_out=ContactOut,
    filterset=ContactFilter, orderings=("family_name", "updated_at", "created_at"),
    prefetch=contact_details(),
)
add_address_routes(accounts_router, Account)
add_address_routes(contacts_router, Contact)
add_contact_point_routes(contacts_router, ContactOut)
add_contact_relation_routes(contacts_router)


class ConsentIn(StrictSchema):
    channel: Literal[tuple(Channel.values)]
    status: Literal[tuple(ConsentStatus.values)]
    method: Literal[tuple(ConsentMethod.values)] = ConsentMethod.API.value
    proof: str = Field("", max_length=500)


class ConsentOut(Schema):
    id: int
    channel: str
    status: str
    method: str
    proof: str
    recorded_at: dt.datetime
    recorded_by: int | None

    @staticmethod
    def resolve_recorded_by(obj) -> int | None:
        return obj.recorded_by_id


@contacts_router.get("/{int:pk}/consents", response={200: list[ConsentOut], **COMMON_ERRORS},
                     summary="Consent statements, newest first", operation_id="contact_consents")
def list_consents(request, pk: int):
    contact = get_object_or_404(Contact.objects.visible_to(request.auth), pk=pk)
    return contact.consents.order_by("-recorded_at", "-id")


@contacts_router.post("/{int:pk}/consents", response={201: ConsentOut, **COMMON_ERRORS},
                      summary="Record consent granted or withdrawn",
                      operation_id="contact_consent_record")
def create_consent(request, pk: int, payload: ConsentIn):
    contact = get_object_or_404(Contact.objects.visible_to(request.auth), pk=pk)
    return Status(201, consent_record(contact=contact, user=request.auth, **payload.model_dump()))


class MergeIn(StrictSchema):
    others: list[int] = Field(min_length=1, max_length=20)
    choices: dict[str, int] = Field({}, description='Field name (or "custom.KEY") to the id '
                                    "of the record whose value survives")


class MergeOut(Schema):
    id: int = Field(description="The merge's id: POST …/merge/{id}/undo undoes it")
    occurred_at: dt.datetime
    actor: int | None = Field(description="The user who merged")
    merged: list[int] = Field(description="The records merged into this one")

    @staticmethod
    def resolve_actor(event) -> int | None:
        return event.actor_id

    @staticmethod
    def resolve_merged(event) -> list[int]:
        return event.payload["merged"]


def _merges(request, model, pk: int) -> list[Event]:
    return undoable_merges(get_object_or_404(model.objects.visible_to(request.auth), pk=pk))


def _merge_others(user, model, ids: list[int]) -> list:
    """The records to merge, in order; an id the user cannot see is a field error."""
    found = model.objects.visible_to(user).in_bulk(ids)
    if any(pk not in found for pk in ids):
        raise ValidationError({"others": [_("Select records you can see.")]})
    return [found[pk] for pk in ids]


def _merge(request, response: HttpResponse, model, pk: int, payload: MergeIn):
    survivor = get_object_or_404(model.objects.visible_to(request.auth), pk=pk)
    record_merge(survivor=survivor, others=_merge_others(request.auth, model, payload.others),
                 user=request.auth, choices=payload.choices,
                 version=if_match_version(request, survivor))
    response["ETag"] = etag(survivor)
    return survivor


def _merge_undo(request, response: HttpResponse, model, pk: int, event_id: int):
    survivor = get_object_or_404(model.objects.visible_to(request.auth), pk=pk)
    event = get_object_or_404(Event.objects.for_subject(survivor), pk=event_id, kind="merged")
    survivor = record_merge_undo(event=event, user=request.auth)
    response["ETag"] = etag(survivor)
    return survivor


@contacts_router.post("/{int:pk}/merge", response={200: ContactOut, 412: ErrorOut,
                                                   **COMMON_ERRORS},
                      summary="Merge other contacts into this one", operation_id="contact_merge")
def merge_contacts(request, response: HttpResponse, pk: int, payload: MergeIn):
    return _merge(request, response, Contact, pk, payload)


@contacts_router.get("/{int:pk}/merges", response={200: list[MergeOut], **COMMON_ERRORS},
                     summary="Merges into this contact that can be undone, newest first",
                     operation_id="contact_merges")
def contact_merges(request, pk: int):
    return _merges(request, Contact, pk)


@contacts_router.post("/{int:pk}/merge/{int:event_id}/undo",
                      response={200: ContactOut, **COMMON_ERRORS},
                      summary="Undo a merge", operation_id="contact_merge_undo")
def undo_contact_merge(request, response: HttpResponse, pk: int, event_id: int):
    return _merge_undo(request, response, Contact, pk, event_id)


@accounts_router.post("/{int:pk}/merge", response={200: AccountOut, 412: ErrorOut,
                                                   **COMMON_ERRORS},
                      summary="Merge other accounts into this one", operation_id="account_merge")
def merge_accounts(request, response: HttpResponse, pk: int, payload: MergeIn):
    return _merge(request, response, Account, pk, payload)


@accounts_router.get("/{int:pk}/merges", response={200: list[MergeOut], **COMMON_ERRORS},
                     summary="Merges into this account that can be undone, newest first",
                     operation_id="account_merges")
def account_merges(request, pk: int):
    return _merges(request, Account, pk)


@accounts_router.post("/{int:pk}/merge/{int:event_id}/undo",
                      response={200: AccountOut, **COMMON_ERRORS},
                      summary="Undo an account merge", operation_id="account_merge_undo")
def undo_account_merge(request, response: HttpResponse, pk: int, event_id: int):
    return _merge_undo(request, response, Account, pk, event_id)

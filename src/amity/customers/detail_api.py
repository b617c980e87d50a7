"""Nested API endpoints for a record's details, each a thin call of a customers service:
POST to add, PATCH to change, DELETE to remove, POST …/make-primary for emails and phones.
The parent record is read through the access gate (404 if hidden); the services refuse
users who may see but not change it (403)."""

from django.db.models import Model
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from amity.api.errors import COMMON_ERRORS
from amity.customers import services
from amity.customers.detail_schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    EmailIn,
    EmailOut,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    PhoneIn,
    PhoneOut,
    SocialHandleIn,
    SocialHandleOut,
)
from amity.customers.models import Account, Contact

NO_CONTENT = {204: None, **COMMON_ERRORS}


def _contact(request, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.visible_to(request.auth), pk=pk)


def _detail(record: Model, related: str, detail_id: int) -> Model:
    """One detail row of a visible record; another record's row is not found."""
    return get_object_or_404(getattr(record, related).all(), pk=detail_id)


def add_contact_point_routes(router: Router, contact_out: type[Schema]) -> None:
    """Emails and phones: add, remove, make primary."""

    @router.post("/{int:pk}/emails", response={201: EmailOut, **COMMON_ERRORS},
                 summary="Add another email address", operation_id="contact_email_add")
    def add_email(request, pk: int, payload: EmailIn):
        return Status(201, services.contact_email_add(contact=_contact(request, pk),
                                                      user=request.auth, **payload.model_dump()))

    @router.delete("/{int:pk}/emails/{int:email_id}", response=NO_CONTENT,
                   summary="Remove another email address", operation_id="contact_email_remove")
    def remove_email(request, pk: int, email_id: int):
        email = _detail(_contact(request, pk), "other_emails", email_id)
        services.contact_email_remove(email=email, user=request.auth)
        return Status(204, None)

    @router.post("/{int:pk}/emails/{int:email_id}/make-primary",
                 response={200: contact_out, **COMMON_ERRORS},
                 summary="Make an email address the primary one",
                 operation_id="contact_email_make_primary")
    def make_email_primary(request, pk: int, email_id: int):
        email = _detail(_contact(request, pk), "other_emails", email_id)
        return services.contact_email_make_primary(email=email, user=request.auth)

    @router.post("/{int:pk}/phones", response={201: PhoneOut, **COMMON_ERRORS},
                 summary="Add another phone number", operation_id="contact_phone_add")
    def add_phone(request, pk: int, payload: PhoneIn):
        return Status(201, services.contact_phone_add(contact=_contact(request, pk),
                                                      user=request.auth, **payload.model_dump()))

    @router.delete("/{int:pk}/phones/{int:phone_id}", response=NO_CONTENT,
                   summary="Remove another phone number", operation_id="contact_phone_remove")
    def remove_phone(request, pk: int, phone_id: int):
        phone = _detail(_contact(request, pk), "other_phones", phone_id)
        services.contact_phone_remove(phone=phone, user=request.auth)
        return Status(204, None)

    @router.post("/{int:pk}/phones/{int:phone_id}/make-primary",
                 response={200: contact_out, **COMMON_ERRORS},
                 summary="Make a phone number the primary one",
                 operation_id="contact_phone_make_primary")
    def make_phone_primary(request, pk: int, phone_id: int):
        phone = _detail(_contact(request, pk), "other_phones", phone_id)
        return services.contact_phone_make_primary(phone=phone, user=request.auth)


def add_address_routes(router: Router, model: type[Account | Contact]) -> None:
    """Addresses of an account or a contact: add, change, remove."""
    name = model._meta.model_name

    def record(request, pk: int):
        return get_object_or_404(model.objects.visible_to(request.auth), pk=pk)

    @router.post("/{int:pk}/addresses", response={201: AddressOut, **COMMON_ERRORS},
                 summary="Add an address", operation_id=f"{name}_address_add")
    def add_address(request, pk: int, payload: AddressIn):
        return Status(201, services.address_add(record=record(request, pk), user=request.auth,
                                                data=payload.model_dump()))

    @router.patch("/{int:pk}/addresses/{int:address_id}",
                  response={200: AddressOut, **COMMON_ERRORS},
                  summary="Change an address", operation_id=f"{name}_address_update")
    def update_address(request, pk: int, address_id: int, payload: AddressPatch):
        address = _detail(record(request, pk), "addresses", address_id)
        return services.address_update(address=address, user=request.auth,
                                       data=payload.model_dump(exclude_unset=True))

    @router.delete("/{int:pk}/addresses/{int:address_id}", response=NO_CONTENT,
                   summary="Remove an address", operation_id=f"{name}_address_remove")
    def remove_address(request, pk: int, address_id: int):
        address = _detail(record(request, pk), "addresses", address_id)
        services.address_remove(address=address, user=request.auth)
        return Status(204, None)


def add_contact_relation_routes(router: Router) -> None:
    """A contact's social handles and account memberships."""

    @router.post("/{int:pk}/social-handles", response={201: SocialHandleOut, **COMMON_ERRORS},
                 summary="Add a social handle", operation_id="contact_social_handle_add")
    def add_handle(request, pk: int, payload: SocialHandleIn):
        return Status(201, services.social_handle_add(contact=_contact(request, pk),
                                                      user=request.auth, **payload.model_dump()))

    @router.delete("/{int:pk}/social-handles/{int:handle_id}", response=NO_CONTENT,
                   summary="Remove a social handle", operation_id="contact_social_handle_remove")
    def remove_handle(request, pk: int, handle_id: int):
        handle = _detail(_contact(request, pk), "social_handles", handle_id)
        services.social_handle_remove(handle=handle, user=request.auth)
        return Status(204, None)

    @router.post("/{int:pk}/memberships", response={201: MembershipOut, **COMMON_ERRORS},
                 summary="Add the contact to an account with a role and title",
                 operation_id="contact_membership_add")
    def add_membership(request, pk: int, payload: MembershipIn):
        return Status(201, services.membership_add(
            contact=_contact(request, pk), user=request.auth, account_id=payload.account,
            role=payload.role, title=payload.title))

    @router.patch("/{int:pk}/memberships/{int:membership_id}",
                  response={200: MembershipOut, **COMMON_ERRORS},
                  summary="Change a membership's role and title",
                  operation_id="contact_membership_update")
    def update_membership(request, pk: int, membership_id: int, payload: MembershipPatch):
        membership = _detail(_contact(request, pk), "memberships", membership_id)
        return services.membership_update(membership=membership, user=request.auth,
                                          **payload.model_dump())

    @router.delete("/{int:pk}/memberships/{int:membership_id}", response=NO_CONTENT,
                   summary="Remove a membership", operation_id="contact_membership_remove")
    def remove_membership(request, pk: int, membership_id: int):
        membership = _detail(_contact(request, pk), "memberships", membership_id)
        services.membership_remove(membership=membership, user=request.auth)
        return Status(204, None)

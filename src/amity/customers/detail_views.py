"""HTMX panels of the customer 360 pages: a contact's emails and phones, addresses, social
handles, accounts, tags and interests; an account's addresses, tags, contacts and child
accounts (keyset-paginated). Each POST calls one customers service and answers the
refreshed panel, or the panel with the typed values and field-named errors (422)."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from amity.core.pagination import keyset_page
from amity.core.tags import parse_tags
from amity.customers import services
from amity.customers.forms import (
    AddressForm,
    ContactEmailForm,
    ContactPhoneForm,
    MembershipForm,
    MembershipRoleForm,
    SocialHandleForm,
    TagsForm,
)
from amity.customers.models import Account, Contact
from amity.customers.selectors import account_children, account_contacts
from amity.customers.templatetags.customers import ROWS

MODELS = {"accounts": Account, "contacts": Contact}
PANELS = {
    "contact-points": "customers/_contact_points.html",
    "addresses": "customers/_addresses.html",
    "social-handles": "customers/_social_handles.html",
    "memberships": "customers/_memberships.html",
    "tags": "customers/_tags.html",
}


def _editable(request: HttpRequest, kind: str, pk: int):
    if kind not in MODELS:
        raise Http404
    return get_object_or_404(MODELS[kind].objects.editable_by(request.user), pk=pk)


def _panel(request, panel: str, record, *, forms: dict | None = None,
           facts_changed: bool = False) -> HttpResponse:
    """The refreshed panel; 422 with the bound forms when one has errors."""
    forms = forms or {}
    failed = any(form.errors for form in forms.values())
    response = render(request, PANELS[panel], {"record": record, "can_edit": True,
                                               "forms": forms}, status=422 if failed else 200)
    if not failed:
        response["HX-Trigger"] = "record-changed, facts-changed" if facts_changed \
            else "record-changed"
    return response


def _submit(request, panel: str, record, name: str, form, action: Callable[[dict], object],
            **panel_kwargs) -> HttpResponse:
    """Validate `form`, run `action` on its values, and show the panel; the service's
    field errors land on the form so the user sees them beside what they typed."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        return _panel(request, panel, record, forms={name: form})
    return _panel(request, panel, record, **panel_kwargs)


@require_POST
def add_email(request, pk: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    return _submit(request, "contact-points", contact, "email", ContactEmailForm(request.POST),
                   lambda data: services.contact_email_add(contact=contact, user=request.user,
                                                           **data))


@require_POST
def add_phone(request, pk: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    return _submit(request, "contact-points", contact, "phone", ContactPhoneForm(request.POST),
                   lambda data: services.contact_phone_add(contact=contact, user=request.user,
                                                           **data))


@require_POST
def change_contact_point(request, pk: int, kind: str, detail_id: int,
                         action: str) -> HttpResponse:
    """Remove another email or phone, or make it the primary one."""
    contact = _editable(request, "contacts", pk)
    related = {"emails": "other_emails", "phones": "other_phones"}.get(kind)
    if related is None or action not in ("remove", "primary"):
        raise Http404
    row = get_object_or_404(getattr(contact, related).all(), pk=detail_id)
    argument = {"emails": "email", "phones": "phone"}[kind]
    operation = getattr(services, f"contact_{argument}_"
                        f"{'remove' if action == 'remove' else 'make_primary'}")
    try:
        operation(**{argument: row, "user": request.user})
    except ValidationError as exc:  # the contact's own values no longer validate
        return render(request, PANELS["contact-points"],
                      {"record": contact, "can_edit": True, "errors": exc.messages}, status=422)
    contact.refresh_from_db()
    return _panel(request, "contact-points", contact, facts_changed=action == "primary")


@require_POST
def add_address(request, kind: str, pk: int) -> HttpResponse:
    record = _editable(request, kind, pk)
    return _submit(request, "addresses", record, "address", AddressForm(request.POST),
                   lambda data: services.address_add(record=record, user=request.user,
                                                     data=data))


@require_POST
def change_address(request, kind: str, pk: int, detail_id: int, action: str) -> HttpResponse:
    record = _editable(request, kind, pk)
    address = get_object_or_404(record.addresses.all(), pk=detail_id)
    if action == "remove":
        services.address_remove(address=address, user=request.user)
    elif action == "primary":
        services.address_update(address=address, user=request.user, data={"is_primary": True})
    else:
        raise Http404
    return _panel(request, "addresses", record)


def edit_address(request, kind: str, pk: int, detail_id: int) -> HttpResponse:
    """GET swaps an address for its form; POST saves it and shows the panel again."""
    record = _editable(request, kind, pk)
    address = get_object_or_404(record.addresses.all(), pk=detail_id)
    # The form gets its own copy: validating it changes its instance, and the service
    # compares with the address as stored for the history.
    copy = record.addresses.get(pk=detail_id)
    form = AddressForm(request.POST or None, instance=copy, prefix="edit")
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(address=address, user=request.user,
                                    data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _panel(request, "addresses", record)
    return render(request, PANELS["addresses"],
                  {"record": record, "can_edit": True, "editing": address.pk,
                   "forms": {"address_edit": form}},
                  status=422 if form.errors else 200)


@require_POST
def add_social_handle(request, pk: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    return _submit(request, "social-handles", contact, "social_handle",
                   SocialHandleForm(request.POST),
                   lambda data: services.social_handle_add(contact=contact, user=request.user,
                                                           **data))


@require_POST
def remove_social_handle(request, pk: int, detail_id: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    handle = get_object_or_404(contact.social_handles.all(), pk=detail_id)
    services.social_handle_remove(handle=handle, user=request.user)
    return _panel(request, "social-handles", contact)


@require_POST
def add_membership(request, pk: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    form = MembershipForm(request.POST, user=request.user)
    return _submit(request, "memberships", contact, "membership", form,
                   lambda data: services.membership_add(
                       contact=contact, user=request.user, account_id=data["account"].pk,
                       role=data["role"], title=data["title"]))


def edit_membership(request, pk: int, detail_id: int) -> HttpResponse:
    """GET swaps a membership for its role and title form; POST saves them."""
    contact = _editable(request, "contacts", pk)
    membership = get_object_or_404(contact.memberships.all(), pk=detail_id)
    form = MembershipRoleForm(request.POST or None,
                              instance=contact.memberships.get(pk=detail_id))
    if request.method == "POST" and form.is_valid():
        services.membership_update(membership=membership, user=request.user,
                                   role=form.cleaned_data["role"],
                                   title=form.cleaned_data["title"])
        return _panel(request, "memberships", contact)
    return render(request, PANELS["memberships"],
                  {"record": contact, "can_edit": True, "editing": membership.pk,
                   "forms": {"membership_edit": form}},
                  status=422 if form.errors else 200)


@require_POST
def remove_membership(request, pk: int, detail_id: int) -> HttpResponse:
    contact = _editable(request, "contacts", pk)
    membership = get_object_or_404(contact.memberships.all(), pk=detail_id)
    services.membership_remove(membership=membership, user=request.user)
    return _panel(request, "memberships", contact)


@require_POST
def set_tags(request, kind: str, pk: int) -> HttpResponse:
    record = _editable(request, kind, pk)
    form = TagsForm(request.POST, record=record)

    def save(data: dict) -> None:
        services.tags_set(record=record, user=request.user, names=parse_tags(data["tags"]))
        if "interests" in data:
            services.interests_set(contact=record, user=request.user,
                                   names=parse_tags(data["interests"]))

    return _submit(request, "tags", record, "tags", form, save)


def _page(request, rows: QuerySet, ordering: tuple[str, ...]):
    try:
        return keyset_page(rows, ordering=ordering, after=request.GET.get("after"), size=ROWS)
    except ValidationError as exc:
        raise Http404 from exc


@require_GET
def account_contacts_page(request, pk: int) -> HttpResponse:
    """The next page of an account's contacts (its own and its members)."""
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    page = _page(request, account_contacts(account=account, user=request.user),
                 ("family_name", "id"))
    return render(request, "customers/_account_contact_rows.html",
                  {"record": account, "page": page})


@require_GET
def account_children_page(request, pk: int) -> HttpResponse:
    """The next page of an account's child accounts."""
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    page = _page(request, account_children(account=account, user=request.user), ("name", "id"))
    return render(request, "customers/_account_child_rows.html",
                  {"record": account, "page": page})


def _record_paths(kind: str) -> list:
    """The paths of the panels an account and a contact both have."""
    model = MODELS[kind]._meta.model_name
    return [
        path(f"{kind}/<int:pk>/addresses/", login_required(add_address), {"kind": kind},
             name=f"{model}_address_add"),
        path(f"{kind}/<int:pk>/addresses/<int:detail_id>/edit/", login_required(edit_address),
             {"kind": kind}, name=f"{model}_address_edit"),
        path(f"{kind}/<int:pk>/addresses/<int:detail_id>/<str:action>/",
             login_required(change_address), {"kind": kind}, name=f"{model}_address_change"),
        path(f"{kind}/<int:pk>/tags/", login_required(set_tags), {"kind": kind},
             name=f"{model}_tags_set"),
    ]


urlpatterns = [
    *_record_paths("accounts"),
    *_record_paths("contacts"),
    path("contacts/<int:pk>/emails/", login_required(add_email), name="contact_email_add"),
    path("contacts/<int:pk>/phones/", login_required(add_phone), name="contact_phone_add"),
    path("contacts/<int:pk>/emails/<int:detail_id>/<str:action>/",
         login_required(change_contact_point), {"kind": "emails"}, name="contact_email_change"),
    path("contacts/<int:pk>/phones/<int:detail_id>/<str:action>/",
         login_required(change_contact_point), {"kind": "phones"}, name="contact_phone_change"),
    path("contacts/<int:pk>/social-handles/", login_required(add_social_handle),
         name="social_handle_add"),
    path("contacts/<int:pk>/social-handles/<int:detail_id>/remove/",
         login_required(remove_social_handle), name="social_handle_remove"),
    path("contacts/<int:pk>/memberships/", login_required(add_membership), name="membership_add"),
    path("contacts/<int:pk>/memberships/<int:detail_id>/edit/", login_required(edit_membership),
         name="membership_edit"),
    path("contacts/<int:pk>/memberships/<int:detail_id>/remove/", login_required(remove_membership),
         name="membership_remove"),
    path("accounts/<int:pk>/contacts/", login_required(account_contacts_page),
         name="account_contacts"),
    path("accounts/<int:pk>/children/", login_required(account_children_page),
         name="account_children"),
]

"""Converting a qualified lead into an account, a contact and an opportunity, in one
transaction, attaching to existing customers where the user chooses."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.custom_fields import active_fields
from amity.core.services import record_create, record_update
from amity.customers.models import Account, Contact
from amity.customers.selectors import likely_duplicate_accounts, likely_duplicate_contacts
from amity.events.kinds import register_event_kind
from amity.events.services import publish
from amity.sales.lead_services import locked_lead
from amity.sales.models import Lead, LeadStatus, Opportunity, Pipeline, StageChange
from amity.sales.models.pipelines import StageOutcome

CONVERTED = "lead.converted"
register_event_kind(CONVERTED, gettext_lazy("Lead converted"))


@dataclass
class Conversion:
    lead: Lead
    account: Account
    contact: Contact
    opportunity: Opportunity | None
    account_created: bool
    contact_created: bool


@dataclass
class Candidates:
    """Existing customers the lead probably is, for the user to attach to."""

    accounts: list[Account]
    contacts: list[Contact]


def conversion_candidates(*, lead: Lead, user) -> Candidates:
    """Visible accounts and contacts that look like the lead (same checks as the warning
    shown when creating a contact or an account by hand)."""
    accounts = likely_duplicate_accounts(user=user, data={"name": _account_name(lead)})
    contacts = likely_duplicate_contacts(user=user, data={
        "given_name": lead.given_name, "family_name": lead.family_name, "email": lead.email,
        "phone": lead.phone, "country": lead.country})
    return Candidates(accounts=accounts, contacts=contacts)


def _account_name(lead: Lead) -> str:
    # A lead with no company buys for themself: the account is the person (B2C).
    return lead.company or f"{lead.given_name} {lead.family_name}".strip()


def default_opportunity_name(lead: Lead) -> str:
    name = _account_name(lead)
    return f"{name} – {lead.product_interest}"[:200] if lead.product_interest else name[:200]


def _custom_for(kind: str, lead: Lead) -> dict:
    """The lead's custom values whose key is a field of the same type on `kind`."""
    lead_types = {f.key: f.type for f in active_fields(Lead.kind_key())}
    values = lead.custom or {}
    return {f.key: values[f.key] for f in active_fields(kind)
            if f.key in values and values[f.key] is not None
            and lead_types.get(f.key) == f.type}


def _account(lead: Lead, user, account: Account | None) -> tuple[Account, bool]:
    if account is not None:
        _check_visible(Account, user, account, "account")
        return account, False
    return record_create(model=Account, user=user, data={
        "name": _account_name(lead)[:200], "industry": lead.industry,
        "employees": lead.employees, "country": lead.country,
        "custom": _custom_for(Account.kind_key(), lead)}), True


def _contact(lead: Lead, user, contact: Contact | None, account: Account) -> tuple[Contact, bool]:
    if contact is not None:
        _check_visible(Contact, user, contact, "contact")
        # A contact with no account joins this one, if the user may change the contact.
        if contact.account_id is None and \
                Contact.objects.editable_by(user).filter(pk=contact.pk).exists():
            contact = record_update(record=contact, user=user, data={"account": account})
        return contact, False
    return record_create(model=Contact, user=user, data={
        "given_name": lead.given_name, "family_name": lead.family_name, "email": lead.email,
        "phone": lead.phone, "job_title": lead.job_title, "language": lead.language,
        "country": lead.country, "source": lead.source[:100], "account": account,
        "description": lead.description, "custom": _custom_for(Contact.kind_key(), lead)}), True


def _check_visible(model, user, record, field: str) -> None:
    if not model.objects.visible_to(user).filter(pk=record.pk).exists():
        raise ValidationError({field: [_("Select a valid choice.")]})


def _opportunity(lead: Lead, user, *, name: str, account: Account,
                 contact: Contact) -> Opportunity:
    pipeline = (Pipeline.objects.filter(is_default=True, archived=False).first()
                or Pipeline.objects.filter(archived=False).first())
    stage = pipeline and pipeline.stages.filter(outcome=StageOutcome.OPEN).order_by(
        "position", "id").first()
    if stage is None:
        raise ValidationError({"create_opportunity": [_(
            "There is no pipeline with an open stage to put the opportunity in; ask an "
            "administrator to set one up, or convert without an opportunity.")]})
    if not (name or "").strip():
        raise ValidationError({"opportunity_name": [_("Give the opportunity a name.")]})
    opportunity = record_create(model=Opportunity, user=user, data={
        "name": name.strip(), "account": account, "contact": contact, "pipeline": pipeline,
        "stage": stage, "currency": settings.AMITY_CURRENCY, "probability": stage.probability,
        "custom": _custom_for(Opportunity.kind_key(), lead)})
    now = timezone.now()
    Opportunity.objects.filter(pk=opportunity.pk).update(lead=lead, stage_entered_at=now)
    StageChange.objects.create(opportunity=opportunity, to_stage=stage, changed_at=now,
                               changed_by=user)
    opportunity.lead, opportunity.stage_entered_at = lead, now
    return opportunity


def lead_convert(*, lead: Lead, user, account: Account | None = None,
                 contact: Contact | None = None, create_opportunity: bool = True,
                 opportunity_name: str | None = None) -> Conversion:
    """Turn a qualified lead into an account, a contact (of that account) and, if asked,
    an opportunity; given an existing account or contact, attach to it instead of creating.
    All or nothing: any refusal leaves no record behind."""
    if len(opportunity_name or "") > 200:
        raise ValidationError({"opportunity_name": [_(
            "Keep the name under %(limit)s characters.") % {"limit": 200}]})
    with transaction.atomic():
        lead = locked_lead(lead, user)
        if lead.status != LeadStatus.QUALIFIED:
            raise ValidationError({"status": [_(
                "Only a qualified lead can be converted; this one is “%(status)s”.")
                % {"status": lead.get_status_display()}]})
        account, account_created = _account(lead, user, account)
        contact, contact_created = _contact(lead, user, contact, account)
        opportunity = None
        if create_opportunity:
            name = default_opportunity_name(lead) if opportunity_name is None \
                else opportunity_name
            opportunity = _opportunity(lead, user, name=name, account=account,
                                       contact=contact)
        _mark_converted(lead, user, account, contact, opportunity)
    return Conversion(lead, account, contact, opportunity, account_created, contact_created)


def _mark_converted(lead: Lead, user, account: Account, contact: Contact,
                    opportunity: Opportunity | None) -> None:
    now = timezone.now()
    lead.status, lead.converted_at, lead.touched_at = LeadStatus.CONVERTED, now, now
    lead.converted_account, lead.converted_contact = account, contact
    lead.converted_opportunity, lead.updated_by = opportunity, user
    lead.save(update_fields=["status", "converted_at", "touched_at", "converted_account",
                             "converted_contact", "converted_opportunity", "updated_by",
                             "updated_at", "version"])
    payload = {"account": account.pk, "contact": contact.pk,
               "opportunity": opportunity.pk if opportunity else None,
               "changes": {"status": {"old": str(LeadStatus.QUALIFIED.label),
                                      "new": str(LeadStatus.CONVERTED.label)}}}
    publish(subject=lead, kind=CONVERTED, actor=user, payload=payload)
    # The customer's own timeline says where they came from.
    lead_link = {"title": str(lead), "url": reverse("lead_detail", args=[lead.pk]),
                 "lead": lead.pk}
    for record in (account, contact):
        publish(subject=record, kind=CONVERTED, actor=user, payload=lead_link)


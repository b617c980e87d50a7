"""The leads API: CRUD at /api/v1/leads (the generic record router, with the UI list's
filters), and the qualification flow, checklist and conversion, calling the same services
as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema

from amity.api.crud import CustomValues, RecordOut, StrictSchema, patch_schema, record_router
from amity.api.errors import COMMON_ERRORS
from amity.customers.models import Account, Contact
from amity.sales.lead_conversion import conversion_candidates, lead_convert
from amity.sales.lead_filters import LeadFilter
from amity.sales.lead_services import lead_check, lead_set_status, qualification_state
from amity.sales.models import Lead, LeadStatus


class LeadIn(StrictSchema):
    given_name: str = Field("", max_length=100)
    family_name: str = Field(max_length=100)
    company: str = Field("", max_length=200)
    job_title: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    language: str = Field("", max_length=35)
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=100)
    postcode: str = Field("", max_length=20)
    industry: str = Field("", max_length=100)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    source: str = Field("", max_length=100)
    product_interest: str = Field("", max_length=200)
    description: str = Field("", max_length=10000)
    custom: CustomValues = {}


class LeadOut(RecordOut):
    given_name: str
    family_name: str
    display_name: str
    company: str
    job_title: str
    email: str
    phone: str
    phone_e164: str
    language: str
    country: str
    region: str
    postcode: str
    industry: str
    employees: int | None
    source: str
    product_interest: str
    description: str
    status: str
    disqualified_reason: str
    checklist: dict[str, bool]
    score: int
    grade: str
    touched_at: dt.datetime | None
    converted_at: dt.datetime | None
    converted_account: int | None
    converted_contact: int | None
    converted_opportunity: int | None
    custom: CustomValues

    @staticmethod
    def resolve_display_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_converted_account(obj) -> int | None:
        return obj.converted_account_id

    @staticmethod
    def resolve_converted_contact(obj) -> int | None:
        return obj.converted_contact_id

    @staticmethod
    def resolve_converted_opportunity(obj) -> int | None:
        return obj.converted_opportunity_id


LeadPatch = patch_schema(LeadIn)
leads_router = record_router(model=Lead, schema_in=LeadIn, schema_patch=LeadPatch,
                             schema_out=LeadOut, filterset=LeadFilter,
                             orderings=("updated_at", "family_name", "score", "created_at"))


class LeadStatusIn(StrictSchema):
    status: LeadStatus
    disqualified_reason: str = Field("", max_length=200)


class CheckIn(StrictSchema):
    item: str = Field(max_length=50)
    checked: bool


class ConvertIn(StrictSchema):
    account: int | None = Field(None, description="Attach to this account instead of "
                                "creating one")
    contact: int | None = Field(None, description="Attach to this contact instead of "
                                "creating one")
    create_opportunity: bool = True
    opportunity_name: str | None = Field(None, max_length=200)


class ConvertOut(Schema):
    lead: LeadOut
    account: int
    contact: int
    opportunity: int | None
    account_created: bool
    contact_created: bool


class ChecklistItemOut(Schema):
    key: str
    label: str
    required: bool
    checked: bool


class QualificationOut(Schema):
    moves: list[str]
    missing: list[str]
    items: list[ChecklistItemOut]


class Candidate(Schema):
    id: int
    name: str


class CandidatesOut(Schema):
    accounts: list[Candidate]
    contacts: list[Candidate]


def _editable(request, pk: int) -> Lead:
    return get_object_or_404(Lead.objects.editable_by(request.auth), pk=pk)


@leads_router.post("/{int:pk}/status", response={200: LeadOut, **COMMON_ERRORS},
                   summary="Move along the qualification flow", operation_id="lead_status")
def set_status(request, pk: int, payload: LeadStatusIn):
    return lead_set_status(lead=_editable(request, pk), user=request.auth,
                           status=payload.status, reason=payload.disqualified_reason)


@leads_router.post("/{int:pk}/checklist", response={200: LeadOut, **COMMON_ERRORS},
                   summary="Tick or untick a checklist item", operation_id="lead_check")
def check_item(request, pk: int, payload: CheckIn):
    return lead_check(lead=_editable(request, pk), user=request.auth, key=payload.item,
                      checked=payload.checked)


@leads_router.get("/{int:pk}/qualification", response={200: QualificationOut, **COMMON_ERRORS},
                  summary="Moves allowed and checklist items missing",
                  operation_id="lead_qualification")
def qualification(request, pk: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.auth), pk=pk)
    state = qualification_state(lead)
    return {"moves": [value for value, _label in state["moves"]],
            "missing": [item.key for item in state["missing"]],
            "items": [{"key": item.key, "label": item.label, "required": item.required,
                       "checked": ticked} for item, ticked in state["items"]]}


@leads_router.get("/{int:pk}/conversion-candidates",
                  response={200: CandidatesOut, **COMMON_ERRORS},
                  summary="Existing accounts and contacts the lead probably is",
                  operation_id="lead_conversion_candidates")
def candidates(request, pk: int):
    found = conversion_candidates(lead=_editable(request, pk), user=request.auth)
    return {"accounts": [{"id": a.pk, "name": str(a)} for a in found.accounts],
            "contacts": [{"id": c.pk, "name": str(c)} for c in found.contacts]}


def _visible_or_error(model, user, pk: int | None, field: str):
    from django.core.exceptions import ValidationError

    if pk is None:
        return None
    record = model.objects.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: [_("Select a valid choice.")]})
    return record


@leads_router.post("/{int:pk}/convert", response={200: ConvertOut, **COMMON_ERRORS},
                   summary="Convert into an account, a contact and an opportunity",
                   operation_id="lead_convert")
def convert(request, pk: int, payload: ConvertIn):
    lead = _editable(request, pk)
    done = lead_convert(
        lead=lead, user=request.auth,
        account=_visible_or_error(Account, request.auth, payload.account, "account"),
        contact=_visible_or_error(Contact, request.auth, payload.contact, "contact"),
        create_opportunity=payload.create_opportunity,
        opportunity_name=payload.opportunity_name)
    return {"lead": done.lead, "account": done.account.pk, "contact": done.contact.pk,
            "opportunity": done.opportunity.pk if done.opportunity else None,
            "account_created": done.account_created, "contact_created": done.contact_created}

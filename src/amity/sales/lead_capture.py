"""Leads from web-to-lead forms: the public form, its spam trap (a honeypot field and a
signed timestamp that must be old enough) and the service that stores the lead."""

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.services import record_create
from amity.events.kinds import register_event_kind
from amity.events.services import publish
from amity.sales.models import Lead, LeadForm

CAPTURED = "lead.captured"
register_event_kind(CAPTURED, gettext_lazy("Lead captured"))
HONEYPOT = "website"  # a field people do not see; bots fill every field they find
STAMP = "amity_ts"
_SALT = "amity.sales.lead_form"


def form_stamp(lead_form: LeadForm) -> str:
    """A signed timestamp for one showing of the form (checked when it is sent)."""
    return signing.TimestampSigner(salt=_SALT).sign(lead_form.token)


def stamp_problem(lead_form: LeadForm, value: str) -> str | None:
    """Why the form's timestamp is not acceptable, or None: missing, forged, too old, or
    so recent that no person could have filled the form."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        token = signer.unsign(value or "", max_age=settings.LEAD_FORM_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return _("The form was open too long. Please check your entries and send it again.")
    except signing.BadSignature:
        return _("Please check your entries and send the form again.")
    if token != lead_form.token:
        return _("Please check your entries and send the form again.")
    try:
        signer.unsign(value, max_age=settings.LEAD_FORM_MIN_SECONDS)
    except signing.SignatureExpired:
        return None  # older than the minimum: a person had time to fill it
    return _("The form was sent too quickly. Please check your entries and send it again.")


class PublicLeadForm(forms.ModelForm):
    """The fields an administrator chose, validated as the lead model validates them."""

    class Meta:
        model = Lead
        fields: list[str] = []


def public_form_class(lead_form: LeadForm) -> type[forms.ModelForm]:
    fields = [name for name in lead_form.fields if name != "source"]
    form_class = forms.modelform_factory(Lead, form=PublicLeadForm, fields=fields)
    required = set(lead_form.required) | {"family_name"}
    for name, field in form_class.base_fields.items():
        field.required = name in required
    return form_class


def lead_capture_submit(*, lead_form: LeadForm, data: dict) -> Lead:
    """Store a lead sent through a web form, owned as the form says; PermissionDenied if
    that owner has left or may no longer create leads."""
    if not lead_form.owner.is_active:
        raise PermissionDenied
    values = {name: data[name] for name in lead_form.fields if name in data}
    values["source"] = (lead_form.source or lead_form.name)[:100]
    with transaction.atomic():
        lead = record_create(model=Lead, user=lead_form.owner, data=values)
        if lead_form.team_id and lead_form.team_id != lead.team_id:
            Lead.objects.filter(pk=lead.pk).update(team=lead_form.team_id)
            lead.team = lead_form.team
        publish(subject=lead, kind=CAPTURED, payload={
            "title": lead_form.name, "form": lead_form.pk, "channel": "web_form"})
    return lead

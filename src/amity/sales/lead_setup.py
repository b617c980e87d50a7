"""Administrators' set-up of leads: web-to-lead forms and the qualification checklist."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.sales.lead_capture import HONEYPOT, STAMP, public_form_class
from amity.sales.models import Lead, LeadForm, QualificationItem


def _admin_only(actor) -> None:
    if not actor.is_administrator:
        raise PermissionDenied


def lead_form_save(*, actor, lead_form: LeadForm, data: dict[str, Any]) -> LeadForm:
    """Create or change a web-to-lead form; its owner must be allowed to create leads."""
    _admin_only(actor)
    for name, value in data.items():
        setattr(lead_form, name, value)
    if lead_form.owner_id and not grant_for(lead_form.owner, Lead.kind_key()).can_create:
        raise ValidationError({"owner": [_("This user may not create leads; choose someone "
                                           "whose role allows it.")]})
    lead_form.full_clean()
    with transaction.atomic():
        lead_form.save()
    return lead_form


def qualification_item_save(*, actor, item: QualificationItem,
                            data: dict[str, Any]) -> QualificationItem:
    """Create or change a checklist item (archive it rather than delete: leads keep ticks)."""
    _admin_only(actor)
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def embed_snippet(lead_form: LeadForm, *, base_url: str) -> str:
    """The plain HTML another site pastes to show the form. A small script fetches a fresh
    timestamp (allowed from the form's origins); without it, the sender is shown Amity's
    own page with what they typed, to send again."""
    form = public_form_class(lead_form)(auto_id="amity-lead-%s")
    action = base_url.rstrip("/") + reverse("lead_public_form", args=[lead_form.token])
    stamp_url = base_url.rstrip("/") + reverse("lead_public_stamp", args=[lead_form.token])
    return render_to_string("sales/leads/_embed_snippet.html", {
        "form": form, "action": action, "stamp_url": stamp_url, "honeypot": HONEYPOT,
        "stamp_name": STAMP, "token": lead_form.token}).strip()

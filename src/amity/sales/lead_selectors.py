"""Reads about leads that are more than a filter."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from amity.sales.models import Lead

LIKELY = 5


def likely_duplicate_leads(*, user, data: dict) -> list[Lead]:
    """Visible leads, not yet converted, with the new lead's email, phone or exact name
    (the warning shown before creating one, as for contacts)."""
    probe = Lead(**{k: v for k, v in data.items() if k in {"email", "phone", "country"}})
    try:
        probe.clean()  # the same normalisation the stored leads went through
    except ValidationError:
        return []
    same = Q(family_name=data.get("family_name", ""), given_name=data.get("given_name", ""))
    if probe.email:
        same |= Q(email=probe.email)
    if probe.phone_e164:
        same |= Q(phone_e164=probe.phone_e164)
    return list(Lead.objects.visible_to(user).exclude(status="converted").filter(same)
                [:LIKELY])

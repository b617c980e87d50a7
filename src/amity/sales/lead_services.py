"""Working a lead: the qualification status flow and the checklist. Creating, changing
and deleting a lead go through core.services (record_create/record_update)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.events.kinds import register_event_kind
from amity.events.services import publish
from amity.sales.models import Lead, LeadStatus, QualificationItem

STATUS_CHANGED = "lead.status_changed"
CHECKLIST_CHANGED = "lead.checklist_changed"


# Where a lead may go from each status; "converted" is reached only by lead_convert.
MOVES: dict[str, tuple[str, ...]] = {
    LeadStatus.NEW: (LeadStatus.WORKING, LeadStatus.DISQUALIFIED),
    LeadStatus.WORKING: (LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED),
    LeadStatus.QUALIFIED: (LeadStatus.WORKING, LeadStatus.DISQUALIFIED),
    LeadStatus.DISQUALIFIED: (LeadStatus.WORKING,),
    LeadStatus.CONVERTED: (),
}


def status_label(value: str) -> str:
    return str(LeadStatus(value).label) if value in LeadStatus.values else value


def _describe_move(event) -> str:
    # Read in the reader's language, not the one of whoever moved the lead.
    line = (f"{status_label(event.payload.get('old_status', ''))} → "
            f"{status_label(event.payload.get('status', ''))}")
    reason = event.payload.get("reason")
    return f"{line}: {reason}" if reason else line


register_event_kind(STATUS_CHANGED, gettext_lazy("Lead status changed"), _describe_move)
register_event_kind(CHECKLIST_CHANGED, gettext_lazy("Qualification checklist changed"))


def allowed_moves(lead: Lead) -> list[str]:
    return list(MOVES.get(lead.status, ()))


def checklist_items() -> list[QualificationItem]:
    """The checklist in force, in order."""
    return list(QualificationItem.objects.filter(archived=False))


def missing_items(lead: Lead) -> list[QualificationItem]:
    """Required checklist items the lead has not ticked."""
    ticked = lead.checklist or {}
    return [item for item in checklist_items() if item.required and not ticked.get(item.key)]


def locked_lead(lead: Lead, user) -> Lead:
    """The lead re-read under a row lock, if `user` may change it (404-like otherwise)."""
    found = Lead.objects.editable_by(user).select_for_update().filter(pk=lead.pk).first()
    if found is None:
        raise PermissionDenied
    return found


def _check_move(lead: Lead, status: str, reason: str) -> None:
    if status not in LeadStatus.values or status not in MOVES[lead.status]:
        allowed = ", ".join(status_label(s) for s in MOVES[lead.status]) or _("none")
        raise ValidationError({"status": [_(
            "A lead cannot go from “%(old)s” to “%(new)s”; from “%(old)s” it can go to: "
            "%(allowed)s.") % {"old": status_label(lead.status), "new": status_label(status),
                               "allowed": allowed}]})
    if status == LeadStatus.DISQUALIFIED and not reason.strip():
        raise ValidationError({"disqualified_reason": [_("Give the reason for disqualifying "
                                                         "the lead.")]})
    if status == LeadStatus.QUALIFIED and (missing := missing_items(lead)):
        raise ValidationError({"status": [_(
            "The lead cannot be qualified until these checklist items are ticked: "
            "%(items)s.") % {"items": ", ".join(item.label for item in missing)}]})


def lead_set_status(*, lead: Lead, user, status: str, reason: str = "") -> Lead:
    """Move a lead along the qualification flow (a reason is required to disqualify);
    refuses moves the flow does not allow, naming the statuses."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError({"disqualified_reason": [_(
            "Keep the reason under %(limit)s characters.") % {"limit": 200}]})
    with transaction.atomic():
        lead = locked_lead(lead, user)
        _check_move(lead, status, reason)
        old = lead.status
        new_reason = reason if status == LeadStatus.DISQUALIFIED else ""
        lead.status, lead.disqualified_reason = status, new_reason
        lead.touched_at, lead.updated_by = timezone.now(), user
        lead.save(update_fields=["status", "disqualified_reason", "touched_at", "updated_by",
                                 "updated_at", "version"])
        publish(subject=lead, kind=STATUS_CHANGED, actor=user, payload={
            "old_status": old, "status": status, "reason": new_reason})
    return lead


def lead_check(*, lead: Lead, user, key: str, checked: bool) -> Lead:
    """Tick or untick one checklist item on a lead."""
    item = QualificationItem.objects.filter(key=key, archived=False).first()
    if item is None:
        raise ValidationError({"key": [_("There is no checklist item “%(key)s”.")
                                       % {"key": str(key)[:50]}]})
    with transaction.atomic():
        lead = locked_lead(lead, user)
        if lead.status == LeadStatus.CONVERTED:
            raise ValidationError({"status": [_("A converted lead cannot be changed.")]})
        if bool((lead.checklist or {}).get(key)) == checked:
            return lead
        lead.checklist = {**(lead.checklist or {}), key: checked}
        lead.touched_at, lead.updated_by = timezone.now(), user
        lead.save(update_fields=["checklist", "touched_at", "updated_by", "updated_at",
                                 "version"])
        mark = "✓" if checked else "✗"
        publish(subject=lead, kind=CHECKLIST_CHANGED, actor=user, payload={
            "item": key, "checked": checked, "summary": f"{item.label} {mark}"})
    return lead


def qualification_state(lead: Lead) -> dict:
    """The qualification panel's content: where the lead can go, the checklist with what
    is ticked, and the required items still missing."""
    ticked = lead.checklist or {}
    items = checklist_items()
    return {
        "moves": [(status, status_label(status)) for status in allowed_moves(lead)],
        "items": [(item, bool(ticked.get(item.key))) for item in items],
        "missing": [item for item in items if item.required and not ticked.get(item.key)],
        "convertible": lead.status == LeadStatus.QUALIFIED,
        "converted": lead.status == LeadStatus.CONVERTED,
    }

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.kinds import kind_field, watched_kind
from amity.automation.models import Trigger

register = template.Library()


@register.filter
def rule_trigger(rule) -> str:
    """The rule's trigger in words."""
    if rule.trigger == Trigger.EVENT:
        from amity.automation.kinds import event_kinds

        return _("Event: %(kind)s") % {"kind": event_kinds().get(rule.event_kind,
                                                                 rule.event_kind)}
    if rule.trigger == Trigger.DATE:
        spec = kind_field(rule.record_kind, rule.date_field)
        label = spec.label if spec else rule.date_field
        if rule.offset_days < 0:
            return _("%(n)s days before %(field)s") % {"n": -rule.offset_days, "field": label}
        return _("%(n)s days after %(field)s") % {"n": rule.offset_days, "field": label}
    return _("No events for %(n)s days") % {"n": rule.quiet_days}


@register.filter
def kind_label(key: str) -> str:
    try:
        return watched_kind(key).label
    except Exception:
        return key


@register.filter
def run_record(run):
    """The record a run was about (None if it is gone)."""
    model = run.subject_type.model_class()
    manager = getattr(model, "all_objects", None) or model.objects
    return manager.filter(pk=run.subject_id).first()


RESULT_LABELS = {"done": gettext_lazy("Done"), "failed": gettext_lazy("Failed"),
                 "undone": gettext_lazy("Rolled back"), "skipped": gettext_lazy("Skipped")}


@register.filter
def result_label(status: str) -> str:
    return str(RESULT_LABELS.get(status, status))


@register.filter
def action_label(key: str) -> str:
    from amity.automation.actions import action_type

    action = action_type(key)
    return str(action.label) if action else key

"""Required fields per stage: which fields a stage may require, and which of them an
opportunity still lacks before it may enter a stage."""

from babel.lists import format_list

from amity.core.calendars import babel_locale
from amity.core.custom_fields import active_fields, custom_labels, error_key
from amity.sales.models import Opportunity, Pipeline, Stage
from amity.sales.models.pipelines import StageOutcome

# Opportunity fields a stage may require (the others are always set, or set by the system).
REQUIRABLE = ("account", "contact", "amount", "close_date", "competitor", "description")
KIND = "sales.opportunity"


def requirable_fields() -> list[tuple[str, str]]:
    """(name, label) of the fields an administrator may require: built-in, then custom."""
    builtin = [(name, str(Opportunity._meta.get_field(name).verbose_name).capitalize())
               for name in REQUIRABLE]
    return builtin + [(error_key(f.key), f.label) for f in active_fields(KIND)]


def required_between(pipeline: Pipeline, current: Stage | None, target: Stage) -> list[str]:
    """The fields required by `target` and by every open stage skipped on the way there
    (none when moving backward)."""
    if current is not None and target.position <= current.position:
        return []
    stages = pipeline.stages.filter(position__lte=target.position)
    if current is not None:
        stages = stages.filter(position__gt=current.position)
    names: list[str] = []
    for stage in stages.order_by("position"):
        if stage.pk == target.pk or stage.outcome == StageOutcome.OPEN:
            names += [n for n in stage.required_fields if n not in names]
    return names


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_fields(opportunity: Opportunity, names: list[str]) -> list[str]:
    """The names among `names` whose value the opportunity does not have."""
    missing = []
    for name in names:
        if name.startswith("custom."):
            value = (opportunity.custom or {}).get(name.removeprefix("custom."))
        else:
            field = opportunity._meta.get_field(name)
            value = getattr(opportunity, field.attname)
        if _empty(value):
            missing.append(name)
    return missing


def field_labels(names: list[str]) -> str:
    """The fields' labels as a list in the active language ("Amount and Close date")."""
    custom = custom_labels(KIND) if any(n.startswith("custom.") for n in names) else {}
    labels = [custom.get(name, name) if name.startswith("custom.")
              else str(Opportunity._meta.get_field(name).verbose_name) for name in names]
    return format_list(labels, style="standard", locale=babel_locale())

"""Starting a sequence, and the "wait" step inside one."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.actions.registry import ActionContext, Param, register_action


def _sequences(kind: str) -> list[tuple[str, str]]:
    from amity.automation.models import Sequence

    return [(str(s.pk), s.name) for s in Sequence.objects.filter(record_kind=kind)]


def start_sequence(context: ActionContext, params: dict) -> str:
    from amity.automation.models import Sequence
    from amity.automation.sequences import enroll

    sequence = Sequence.objects.get(pk=params["sequence"])
    _enrollment, started = enroll(sequence=sequence, record=context.record, rule=context.rule,
                                 chain=context.chain)
    if not started:
        return _("Already in the sequence %(name)s") % {"name": sequence.name}
    return _("Started the sequence %(name)s") % {"name": sequence.name}


def _describe_start(kind: str, params: dict) -> str:
    name = dict(_sequences(kind)).get(str(params.get("sequence")), params.get("sequence"))
    return _("Start the sequence %(name)s") % {"name": name}


def _units(kind: str) -> list[tuple[str, str]]:
    return [("hours", _("hours")), ("days", _("days"))]


def _wait(context: ActionContext, params: dict) -> str:
    return ""  # the sequence runner handles waits itself


register_action("start_sequence", gettext_lazy("Start a sequence"), (
    Param("sequence", gettext_lazy("Sequence"), "choice", choices=_sequences),
), start_sequence, describe=_describe_start, in_sequences=False)
register_action("wait", gettext_lazy("Wait"), (
    Param("amount", gettext_lazy("How long"), "int", min_value=1, max_value=365 * 24),
    Param("unit", gettext_lazy("Unit"), "choice", choices=_units),
), _wait, in_rules=False,
    describe=lambda kind, p: _("Wait %(amount)s %(unit)s") % {
        "amount": p.get("amount"), "unit": dict(_units(kind)).get(p.get("unit"), "")})

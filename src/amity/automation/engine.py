"""Running rules: check a rule's conditions on a record, run its actions in order in the
rule's own transaction, and log the run against the record (RuleRun + an
"automation.ran" event on its timeline). A failing rule is rolled back and logged; the
other rules of the same event still run."""

import logging
import time
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.actions import ActionContext, ActionNotAvailable, action_type
from amity.automation.chain import acting_for, event_chain, max_depth
from amity.automation.conditions import describe_conditions, event_holds, state_q
from amity.automation.models import Rule, RuleRun, RunStatus, Trigger
from amity.core.locale import user_language
from amity.core.services import StaleRecord
from amity.events.kinds import register_event_kind
from amity.events.models import Event
from amity.events.services import publish

logger = logging.getLogger("amity.automation")
RAN = "automation.ran"


class _Failed(Exception):
    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


def kind_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def rule_matches(rule: Rule, record: models.Model, event: Event | None = None, *,
                 state_only: bool = False) -> bool:
    """Whether the rule's conditions hold for the record now (and for the event)."""
    if not state_only and not event_holds(rule.conditions, event):
        return False
    q = state_q(rule.record_kind, rule.conditions)
    return type(record).all_objects.filter(pk=record.pk).filter(q).exists()


def rules_run_for_event(event_id: int) -> int:
    """Run the active rules that the event's kind starts, on the event's record; the
    number of rules whose actions ran. Running it twice runs each rule once."""
    event = Event.objects.select_related("subject_type").filter(pk=event_id).first()
    if event is None:
        return 0
    model = event.subject_type.model_class()
    chain = event_chain(event)
    if model is None or len(chain) >= max_depth():
        return 0
    rules = (Rule.objects.filter(active=True, trigger=Trigger.EVENT,
                                 record_kind=kind_of(model), event_kind=event.kind)
             .exclude(pk__in=chain).select_related("run_as").order_by("position", "id"))
    manager = getattr(model, "all_objects", model.objects)
    record = manager.filter(pk=event.subject_id).first()
    if record is None:
        return 0
    # Which rules match is decided before any of them acts, so one rule's change does not
    # make another match an event that did not match it.
    matching = [rule for rule in rules if _matches_safely(rule, record, event)]
    ran = 0
    for rule in matching:
        # Read afresh for each rule: a rule rolled back leaves the instance as it was.
        record = manager.filter(pk=event.subject_id).first()
        if record is None:
            break
        try:
            with rule_language(rule):
                run = rule_run(rule, record, key=f"event:{event.pk}", event=event,
                               chain=chain, trigger=_("Event: %(kind)s") % {"kind": event.kind},
                               check=False)
        except Exception:  # never let one rule stop the others
            logger.exception("Automation rule %s failed on event %s", rule.pk, event.pk)
            continue
        ran += run is not None
    return ran


def rule_language(rule: Rule) -> AbstractContextManager:
    """The language a rule's run log and timeline line are written in: that of the
    administrator it runs as, who wrote its names and texts (the worker has none)."""
    return user_language(rule.run_as)


def _matches_safely(rule: Rule, record: models.Model, event: Event) -> bool:
    try:
        return rule_matches(rule, record, event)
    except Exception:  # a rule whose conditions no longer work does not stop the others
        logger.exception("Automation rule %s: its conditions failed", rule.pk)
        return False


def rule_run(rule: Rule, record: models.Model, *, key: str, trigger: str,
             event: Event | None = None, chain: list[int] | tuple[int, ...] = (),
             actions: list[dict] | None = None, check: bool = True,
             enrollment: Any = None) -> RuleRun | None:
    """Run the rule's actions (or `actions`) on the record if its conditions hold; the
    logged run, or None if they do not hold or it already ran for `key`."""
    if check and not rule_matches(rule, record, event):
        return None
    started, clock = timezone.now(), time.monotonic()
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = RuleRun.objects.create(
                    rule=rule, subject_type=ContentType.objects.get_for_model(record),
                    subject_id=record.pk, key=key, event=event, enrollment=enrollment,
                    trigger=trigger[:200], started_at=started, status=RunStatus.DONE,
                    matched=describe_conditions(rule.record_kind, rule.conditions))
        except IntegrityError:
            return None  # this rule already ran for this record and reason
        chain = tuple(dict.fromkeys([*chain, rule.pk]))
        run.results = _run_actions(rule, record, event, chain, enrollment,
                                   rule.actions if actions is None else actions)
        failed = [r for r in run.results if r["status"] == "failed"]
        run.status = RunStatus.FAILED if failed else RunStatus.DONE
        run.error = failed[0]["error"] if failed else ""
        run.duration_ms = int((time.monotonic() - clock) * 1000)
        run.save(update_fields=["results", "status", "error", "duration_ms"])
        with acting_for(chain):
            publish(subject=record, kind=RAN, actor=rule.run_as, payload={
                "rule": rule.pk, "rule_name": rule.name, "run": run.pk, "status": run.status,
                "results": [{"type": r["type"], "status": r["status"],
                             "text": r.get("result") or r.get("error", "")}
                            for r in run.results]})
    return run


def _run_actions(rule, record, event, chain, enrollment, rows: list[dict]) -> list[dict]:
    """Each action's result in order; on the first failure everything the rule did is
    rolled back (nothing half-done) and the later actions are skipped."""
    context = ActionContext(rule=rule, record=record, actor=rule.run_as, event=event,
                            chain=chain, enrollment=enrollment)
    results = [{"type": row.get("type"), "status": "skipped"} for row in rows]
    try:
        with transaction.atomic(), acting_for(chain):
            for index, row in enumerate(rows):
                try:
                    action = action_type(row.get("type", ""))
                    if action is None:
                        raise ActionNotAvailable(_("This action does not exist any more."))
                    params = {k: v for k, v in row.items() if k != "type"}
                    results[index] = {"type": action.key, "status": "done",
                                      "result": str(action.run(context, params) or "")}
                except Exception as exc:
                    results[index] = {"type": row.get("type"), "status": "failed",
                                      "error": error_text(exc)}
                    raise _Failed(index) from exc
    except _Failed as failure:
        for result in results[:failure.index]:
            result["status"] = "undone"
    return results


def error_text(exc: Exception) -> str:
    """What went wrong, for the run log, without internals for the expected failures."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}"
                             for name, messages in exc.message_dict.items())
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return _("The rule's user may not change this record.")
    if isinstance(exc, StaleRecord):
        return _("The record was changed at the same time; it will not be retried.")
    if isinstance(exc, ActionNotAvailable):
        return str(exc)
    logger.exception("Automation action failed")
    return f"{type(exc).__name__}: {exc}"[:1000]


def _describe_run(event: Event) -> str:
    payload = event.payload or {}
    done = [r.get("text") for r in payload.get("results", []) if r.get("status") == "done"
            and r.get("text")]
    if payload.get("status") == RunStatus.FAILED:
        errors = [r.get("text") for r in payload.get("results", []) if r.get("status") == "failed"]
        return _("Rule “%(rule)s” failed: %(error)s") % {"rule": payload.get("rule_name"),
                                                         "error": "; ".join(errors)}
    return _("Rule “%(rule)s”: %(done)s") % {"rule": payload.get("rule_name"),
                                            "done": "; ".join(done) or _("nothing to do")}


register_event_kind(RAN, gettext_lazy("Automation"), _describe_run)

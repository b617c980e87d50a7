"""Dry run: which records a rule (saved or being edited) matches now, among those the
administrator may see, and what its actions would do for a sample record. Nothing is
changed: conditions are queries, actions are only described."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.automation.actions import describe_action
from amity.automation.conditions import condition_type, describe_conditions, state_q
from amity.automation.kinds import kind_field, watched_kind
from amity.automation.models import Rule, Trigger
from amity.automation.schedule import date_q, quiet_records

COUNT_CAP = 1000
PAGE = 20


@dataclass
class DryRun:
    count: int  # at most COUNT_CAP
    capped: bool  # more than COUNT_CAP match
    records: list  # the first page of matches
    conditions: list[str]
    actions: list[str]
    sample: models.Model | None = None
    sample_matches: bool = False
    notes: list[str] = field(default_factory=list)


def matching_records(rule: Rule, user, now: dt.datetime | None = None) -> models.QuerySet:
    """The records the user may see that the rule would act on now (ignoring the
    conditions on an event, which only an event can satisfy)."""
    now = now or timezone.now()
    model = watched_kind(rule.record_kind).model
    visible = model.objects.visible_to(user)
    if rule.trigger == Trigger.DATE:
        spec = kind_field(rule.record_kind, rule.date_field)
        if spec is None:
            return visible.none()
        day = now.date() - dt.timedelta(days=rule.offset_days)
        return visible.filter(date_q(spec, day, day)).filter(
            state_q(rule.record_kind, rule.conditions))
    if rule.trigger == Trigger.INACTIVITY:
        return visible.filter(pk__in=quiet_records(rule, now).values("pk"))
    return visible.filter(state_q(rule.record_kind, rule.conditions))


def rule_dry_run(rule: Rule, user, *, sample_id: int | None = None) -> DryRun:
    """What the rule would do now, for `user` (an administrator); changes nothing."""
    records = matching_records(rule, user).order_by("-pk")
    ids = list(records.values_list("pk", flat=True)[:COUNT_CAP + 1])
    result = DryRun(
        count=min(len(ids), COUNT_CAP), capped=len(ids) > COUNT_CAP,
        records=list(records.select_related("owner")[:PAGE]),
        conditions=describe_conditions(rule.record_kind, rule.conditions),
        actions=[describe_action(rule.record_kind, row) for row in rule.actions])
    if any(getattr(condition_type(row["type"]), "on_event", None) for row in rule.conditions):
        result.notes.append(_("Conditions on what an event changed are checked when the "
                              "event happens; they are not part of this count."))
    if rule.trigger == Trigger.DATE:
        result.notes.append(_("Records due today."))
    model = watched_kind(rule.record_kind).model
    if sample_id is not None:
        result.sample = model.objects.visible_to(user).filter(pk=sample_id).first()
        result.sample_matches = result.sample is not None and matching_records(
            rule, user).filter(pk=sample_id).exists()
    elif result.records:
        result.sample, result.sample_matches = result.records[0], True
    return result
